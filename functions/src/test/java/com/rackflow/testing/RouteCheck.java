package com.rackflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.Route;
import com.rackflow.core.persistence.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A function's routes, its Api events in template.yaml and its sample events agree: the same method + resource
 * set, the template's handler is the class, every route has a sample event, and every sample event is served
 * by the handler as it is (no unknown route, no 500).
 */
public final class RouteCheck {
    private RouteCheck() {
    }

    /** Checks a handler built on a fresh table of its own (the sample events change the records they name). */
    public static void verify(Function<Table, ? extends ApiHandler> handlerOn, String functionId, String eventsFolder) {
        Table own = LocalTable.create();
        Staff.seed(own);
        ApiHandler handler = handlerOn.apply(own);
        verify(routesOf(handler), handler, functionId, eventsFolder);
    }

    @SuppressWarnings("unchecked")
    private static List<Route> routesOf(ApiHandler handler) {
        try {
            Method m = ApiHandler.class.getDeclaredMethod("routes");
            m.setAccessible(true);
            return (List<Route>) m.invoke(handler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void verify(List<Route> routes, ApiHandler handler, String functionId, String eventsFolder) {
        JsonNode fn = LocalTable.template().path("Resources").path(functionId).path("Properties");
        assertThat(fn.path("Handler").asText()).isEqualTo(handler.getClass().getName() + "::handleRequest");
        Set<String> declared = new TreeSet<>();
        fn.path("Events").forEach(e -> {
            assertThat(e.path("Type").asText()).isEqualTo("Api");
            assertThat(e.path("Properties").path("RestApiId").path("Ref").asText()).isEqualTo("RackFlowApi");
            declared.add(e.path("Properties").path("Method").asText().toUpperCase() + " " + e.path("Properties").path("Path").asText());
        });
        Set<String> served = new TreeSet<>();
        routes.forEach(r -> served.add(r.method() + " " + r.resource()));
        assertThat(declared).as("template.yaml events of " + functionId).isEqualTo(served);

        Set<String> sampled = new TreeSet<>();
        try (Stream<Path> files = Files.list(LocalTable.repositoryRoot().resolve("events").resolve(eventsFolder))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                Events e = Events.load(eventsFolder + "/" + f.getFileName());
                String key = e.json().path("httpMethod").asText() + " " + e.json().path("resource").asText();
                assertThat(served).as(f.getFileName() + " names a route of the function").contains(key);
                sampled.add(key);
                Reply r = Reply.of(handler, e);
                assertThat(r.status()).as(f.getFileName() + ": " + r.body()).isLessThan(500);
                assertThat(r.body().path("error").path("message").asText("")).as(f.getFileName().toString()).doesNotStartWith("route ");
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        assertThat(sampled).as("a sample event for every route").isEqualTo(served);
    }
}
