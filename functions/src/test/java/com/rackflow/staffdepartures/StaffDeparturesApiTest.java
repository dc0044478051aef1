package com.rackflow.staffdepartures;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.access.Caller;
import com.rackflow.access.Role;
import com.rackflow.core.http.Route;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The staff departure API: who may start and see departures, every bad-input rule, idempotent start, one at a time. */
class StaffDeparturesApiTest {
    static DepartureFixture f;

    @BeforeAll
    static void setUp() {
        f = new DepartureFixture(LocalTable.create(), DepartureMoves.BATCH);
    }

    private static void assertRefused(Caller manager, Map<String, Object> body, String field, String rule) {
        int startedBefore = f.started.size();
        Reply r = f.start(manager, body);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
        assertThat(r.violations()).as(r.body().toString()).contains(field + ":" + rule);
        assertThat(f.started).as("no execution for a refused request").hasSize(startedBefore);
    }

    @Test
    void everyBadInputIsA400NamingFieldAndRule() {
        Caller leaving = f.colleague(Role.SALES, "east");
        String colleague = EAST_SALES_2.userId();
        assertRefused(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of()), "receivers", "size");
        Map<String, Object> missing = new HashMap<>(Map.of("departingUserId", leaving.userId()));
        assertRefused(EAST_MANAGER, missing, "receivers", "required");
        assertRefused(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of("nobody.here")), "receivers[0]", "exists");
        assertRefused(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(SOUTH_SALES_1.userId())), "receivers[0]", "sameDepartment");
        assertRefused(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(Staff.DEPARTED)), "receivers[0]", "active");
        assertRefused(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(leaving.userId())), "receivers[0]", "notDepartingUser");
        assertRefused(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(colleague, colleague)), "receivers[1]", "unique");
        assertRefused(EAST_MANAGER, DepartureFixture.body(EAST_MANAGER.userId(), List.of(colleague)), "departingUserId", "notSelf");
        Caller maintenance = f.colleague(Role.MAINTENANCE, "east");
        assertRefused(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(maintenance.userId())), "receivers[0]", "role");

        Map<String, Object> assigned = DepartureFixture.body(leaving.userId(), List.of(colleague));
        assigned.put("split", "ASSIGNED");
        assigned.put("assignments", List.of(Map.of("customerId", "not-a-customer", "receiverId", EAST_MANAGER.userId())));
        Reply r = f.start(EAST_MANAGER, assigned);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.violations()).contains("defaultReceiverId:required", "assignments[0].receiverId:receiver",
                "assignments[0].customerId:ownedByDepartingUser");

        Map<String, Object> shape = DepartureFixture.body(leaving.userId(), List.of(colleague));
        shape.put("split", "ALPHABETICAL");
        shape.put("colour", "red");
        r = f.start(EAST_MANAGER, shape);
        assertThat(r.violations()).contains("split:enum", "colour:unknown");
        Map<String, Object> rr = DepartureFixture.body(leaving.userId(), List.of(colleague));
        rr.put("assignments", List.of(Map.of("customerId", "x", "receiverId", colleague)));
        assertRefused(EAST_MANAGER, rr, "assignments", "split");

        assertThat(f.directory.user(leaving.userId()).orElseThrow().isActive()).as("nothing done").isTrue();
    }

    @Test
    void onlyManagersAndAdminsOpenTheModule() {
        Caller leaving = f.colleague(Role.SALES, "east");
        for (Caller c : List.of(EAST_SALES_1, MAINTENANCE, OPERATIONS)) {
            Reply r = f.start(c, DepartureFixture.body(leaving.userId(), List.of(EAST_SALES_2.userId())));
            assertThat(r.status()).as(c.role().name()).isEqualTo(403);
            assertThat(f.list(c).status()).as(c.role().name()).isEqualTo(403);
            assertThat(f.get(c, "SD2026000001").status()).as(c.role().name()).isEqualTo(403);
            assertThat(f.retry(c, "SD2026000001").status()).as(c.role().name()).isEqualTo(403);
        }
    }

    @Test
    void anotherDepartmentsPersonOrDepartureIsNotFound() {
        Caller leaving = f.colleague(Role.SALES, "east");
        Reply r = f.start(SOUTH_MANAGER, DepartureFixture.body(leaving.userId(), List.of(SOUTH_SALES_1.userId())));
        assertThat(r.status()).isEqualTo(404);
        assertThat(f.start(EAST_MANAGER, DepartureFixture.body("no.such.user", List.of(EAST_SALES_2.userId()))).status()).isEqualTo(404);

        Reply started = f.start(EAST_MANAGER, DepartureFixture.body(leaving.userId(), List.of(EAST_SALES_2.userId())));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        String id = started.text("departureId");
        assertThat(f.get(SOUTH_MANAGER, id).status()).isEqualTo(404);
        assertThat(f.list(SOUTH_MANAGER).body().path("items").toString()).doesNotContain(id);
        assertThat(f.get(EAST_MANAGER, id).status()).isEqualTo(200);
        assertThat(f.get(ADMIN, id).status()).isEqualTo(200);
        assertThat(f.list(EAST_MANAGER).body().path("items").toString()).contains(id);
        assertThat(f.list(ADMIN).body().path("items").toString()).contains(id);
        f.runFlow(id);
    }

    @Test
    void startIsIdempotentAndOneDepartureRunsPerPerson() {
        Caller leaving = f.colleague(Role.SALES, "east");
        var body = DepartureFixture.body(leaving.userId(), List.of(EAST_SALES_2.userId(), EAST_MANAGER.userId()));
        Events e = Events.load("staff-departures/start-staff-departure.json").as(EAST_MANAGER)
                .header("Idempotency-Key", "idem-" + leaving.userId()).body(body);
        Reply first = Reply.of(f.api, e);
        assertThat(first.status()).as(first.body().toString()).isEqualTo(201);
        String id = first.text("departureId");
        assertThat(id).matches("SD\\d{4}\\d{6}");
        assertThat(first.headers().get("Location")).isEqualTo("/staff-departures/" + id);
        JsonNode d = first.body();
        assertThat(d.path("status").asText()).isEqualTo("RUNNING");
        assertThat(d.path("statusLabel").asText()).isEqualTo("交接中");
        assertThat(d.path("splitLabel").asText()).isEqualTo("轮流分配");
        assertThat(d.path("startedBy").asText()).isEqualTo(EAST_MANAGER.userId());
        assertThat(d.path("startedAt").asText()).isNotEmpty();
        assertThat(d.path("receivers").toString()).contains(EAST_SALES_2.userId(), EAST_MANAGER.userId());
        assertThat(d.path("executionArn").asText()).endsWith(":execution:rackflow-staff-departure-dev:" + id);
        assertThat(d.has("nextReceiverIndex")).isFalse();

        Reply again = Reply.of(f.api, e);
        assertThat(again.text("departureId")).isEqualTo(id);
        assertThat(again.headers().get("Idempotent-Replayed")).isEqualTo("true");
        assertThat(f.started.stream().filter(id::equals)).hasSize(1);

        Reply second = f.start(ADMIN, body);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.errorCode()).isEqualTo("STAFF_DEPARTURE_RUNNING");
        assertThat(second.body().path("error").path("details").path("runningDepartureId").asText()).isEqualTo(id);

        f.runFlow(id);
        assertThat(f.get(EAST_MANAGER, id).text("status")).isEqualTo("COMPLETED");
        // the person is free again: another departure (moving nothing) may start
        assertThat(f.start(ADMIN, body).status()).isEqualTo(201);
    }

    @Test
    void routesTemplateEventsAndSampleEventsAgree() throws IOException {
        JsonNode fn = LocalTable.template().path("Resources").path("StaffDeparturesFunction").path("Properties");
        assertThat(fn.path("Handler").asText()).isEqualTo(StaffDeparturesHandler.class.getName() + "::handleRequest");
        Set<String> declared = new TreeSet<>();
        fn.path("Events").forEach(e -> declared.add(e.path("Properties").path("Method").asText().toUpperCase() + " "
                + e.path("Properties").path("Path").asText()));
        Set<String> served = new TreeSet<>();
        for (Route r : f.api.routes()) {
            served.add(r.method() + " " + r.resource());
        }
        assertThat(declared).isEqualTo(served);
        assertThat(LocalTable.template().path("Resources").path("StaffDepartureTasksFunction").path("Properties")
                .path("Handler").asText()).isEqualTo(StaffDepartureTasksHandler.class.getName() + "::handleRequest");

        Set<String> sampled = new TreeSet<>();
        try (Stream<Path> files = Files.list(LocalTable.repositoryRoot().resolve("events/staff-departures"))) {
            for (Path p : files.filter(x -> !x.getFileName().toString().startsWith("task-")).toList()) {
                Events e = Events.load("staff-departures/" + p.getFileName());
                sampled.add(e.json().path("httpMethod").asText() + " " + e.json().path("resource").asText());
                Reply r = Reply.of(f.api, e);
                assertThat(r.status()).as(p.getFileName() + ": " + r.body()).isLessThan(500);
                assertThat(r.body().path("error").path("message").asText("")).doesNotStartWith("route ");
            }
        }
        assertThat(sampled).isEqualTo(served);
    }
}
