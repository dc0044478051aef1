package com.rackflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.http.Route;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.OpenApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * openapi.yaml cannot drift: its operations are exactly template.yaml's Api events and the handlers' routes, every
 * sample event in events/ is a request it describes, and it states the rules of the API (security, pagination,
 * versions, errors). The API tests check every answer against it as they run (testing.Reply).
 */
class OpenApiContractTest {

    @Test
    void operationsEqualTheTemplatesApiEventsAndTheHandlersRoutes() throws Exception {
        Set<String> template = new TreeSet<>();
        Set<String> handlers = new TreeSet<>();
        var resources = LocalTable.template().path("Resources").fields();
        while (resources.hasNext()) {
            var r = resources.next();
            JsonNode props = r.getValue().path("Properties");
            boolean api = false;
            for (JsonNode e : props.path("Events")) {
                if (e.path("Type").asText().equals("Api")) {
                    api = true;
                    template.add(e.path("Properties").path("Method").asText().toUpperCase() + " " + e.path("Properties").path("Path").asText());
                }
            }
            if (api) {
                String className = props.path("Handler").asText().replace("::handleRequest", "");
                routesOf(className).forEach(route -> handlers.add(route.method() + " " + route.resource()));
            }
        }
        assertThat(template).hasSizeGreaterThan(50);
        assertThat(OpenApi.operations()).as("openapi.yaml vs template.yaml").isEqualTo(template);
        assertThat(handlers).as("handlers' routes() vs template.yaml").isEqualTo(template);
    }

    @Test
    void everySampleEventIsARequestTheDocumentDescribes() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(LocalTable.repositoryRoot().resolve("events"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode e = Json.read(Files.readString(f));
                if (!e.has("httpMethod") || !e.has("resource")) {
                    continue; // Step Functions task events, scheduled events, custom resources
                }
                checked++;
                String method = e.path("httpMethod").asText();
                String resource = e.path("resource").asText();
                JsonNode op = OpenApi.operation(method, resource).orElse(null);
                if (op == null) {
                    problems.add(f.getFileName() + ": " + method + " " + resource + " is not described");
                    continue;
                }
                Set<String> declared = new HashSet<>();
                for (JsonNode p : op.path("parameters")) {
                    JsonNode param = p.has("$ref") ? OpenApi.document().at(p.get("$ref").asText().substring(1)) : p;
                    declared.add(param.path("in").asText() + ":" + param.path("name").asText());
                }
                e.path("queryStringParameters").fieldNames().forEachRemaining(q -> {
                    if (!declared.contains("query:" + q)) {
                        problems.add(f.getFileName() + ": query parameter " + q + " is not described");
                    }
                });
                e.path("pathParameters").fieldNames().forEachRemaining(q -> {
                    if (!declared.contains("path:" + q)) {
                        problems.add(f.getFileName() + ": path parameter " + q + " is not described");
                    }
                });
                String body = e.path("body").isTextual() ? e.path("body").asText() : null;
                OpenApi.requestProblems(method, resource, body).forEach(p -> problems.add(f.getFileName() + ": " + p));
            }
        }
        assertThat(checked).isGreaterThan(50);
        assertThat(problems).isEmpty();
    }

    @Test
    void everyOperationIsSecuredAndStatesItsErrorsAndListsPage() {
        JsonNode doc = OpenApi.document();
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
        assertThat(doc.path("components").path("securitySchemes").path("staffJwt").path("scheme").asText()).isEqualTo("bearer");
        assertThat(doc.path("security").path(0).has("staffJwt")).isTrue();
        List<String> problems = new ArrayList<>();
        var paths = OpenApi.paths();
        while (paths.hasNext()) {
            var p = paths.next();
            p.getValue().fields().forEachRemaining(m -> {
                String op = m.getKey().toUpperCase() + " " + p.getKey();
                JsonNode responses = m.getValue().path("responses");
                for (String status : List.of("400", "401", "403", "404", "500")) {
                    if (!responses.has(status)) {
                        problems.add(op + " does not describe " + status);
                    }
                }
                responses.fields().forEachRemaining(r -> {
                    if (r.getKey().startsWith("2")) {
                        JsonNode schema = r.getValue().path("content").path("application/json").path("schema");
                        if (schema.path("type").asText().equals("object") && !schema.has("additionalProperties")) {
                            problems.add(op + " " + r.getKey() + ": the answer lists no properties (views list what they show)");
                        }
                        if (schema.path("properties").has("nextCursor")) {
                            String params = m.getValue().path("parameters").toString();
                            if (!params.contains("#/components/parameters/Limit") || !params.contains("#/components/parameters/Cursor")) {
                                problems.add(op + " pages but does not take limit and cursor");
                            }
                        }
                    }
                });
            });
        }
        assertThat(problems).isEmpty();
    }

    /** The error shape of docs/errors.md, the one the gateway responses in template.yaml also produce. */
    @Test
    void theErrorSchemaAcceptsTheGatewaysAnswers() throws IOException {
        String template = Files.readString(LocalTable.repositoryRoot().resolve("template.yaml"));
        var m = java.util.regex.Pattern.compile("application/json: '(\\{\"error\".*)'").matcher(template);
        int seen = 0;
        while (m.find()) {
            String body = m.group(1).replace("$context.error.messageString", "\"Unauthorized\"")
                    .replace("$context.requestId", "4b1d0000-0000-4000-8000-000000000000");
            assertThat(OpenApi.answerProblems("GET", "/customers", 401, body)).as(body).isEmpty();
            seen++;
        }
        assertThat(seen).isGreaterThanOrEqualTo(20);
    }

    @SuppressWarnings("unchecked")
    private static List<Route> routesOf(String className) throws Exception {
        Class<?> type = Class.forName(className);
        Constructor<?> c = Arrays.stream(type.getConstructors())
                .filter(k -> k.getParameterCount() > 0 && k.getParameterTypes()[0] == Table.class)
                .max(Comparator.comparingInt(Constructor::getParameterCount)).orElseThrow();
        Object[] args = new Object[c.getParameterCount()];
        args[0] = new Table(null, "routes-only");
        for (int i = 1; i < args.length; i++) {
            Class<?> p = c.getParameterTypes()[i];
            args[i] = p == java.time.Clock.class ? java.time.Clock.systemUTC() : p == String.class ? "arn:aws:states:us-east-1:123456789012:stateMachine:x" : null;
        }
        ApiHandler handler = (ApiHandler) c.newInstance(args);
        Method routes = ApiHandler.class.getDeclaredMethod("routes");
        routes.setAccessible(true);
        return (List<Route>) routes.invoke(handler);
    }
}
