package com.rackflow.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Role;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.LocalTable;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The first-administrator custom resource, with CloudFormation's response URL played by a local HTTP server. */
class DirectoryBootstrapHandlerTest {
    Table table;
    HttpServer cloudFormation;
    final List<JsonNode> responses = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        table = LocalTable.create();
        cloudFormation = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        cloudFormation.createContext("/response", ex -> {
            assertThat(ex.getRequestMethod()).isEqualTo("PUT");
            contentTypes.add(String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            responses.add(Json.MAPPER.readTree(ex.getRequestBody()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        cloudFormation.start();
    }

    @AfterEach
    void tearDown() {
        cloudFormation.stop(0);
    }

    ObjectNode event(String requestType) throws Exception {
        ObjectNode e = (ObjectNode) Json.read(Files.readString(LocalTable.repositoryRoot()
                .resolve("events/custom-resources/initial-administrator.json")));
        e.put("RequestType", requestType);
        e.put("ResponseURL", "http://127.0.0.1:" + cloudFormation.getAddress().getPort() + "/response?X-Amz-Signature=x");
        return e;
    }

    void invoke(ObjectNode event) throws Exception {
        new DirectoryBootstrapHandler(table).handleRequest(
                new ByteArrayInputStream(Json.write(event).getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
    }

    @Test
    void createAddsTheAdministratorAndTheirDepartmentAndAnswersSuccess() throws Exception {
        invoke(event("Create"));
        StaffUser admin = new StaffDirectory(table).user("it.admin").orElseThrow();
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(admin.isActive()).isTrue();
        assertThat(admin.departmentId()).isEqualTo("hq");
        assertThat(new StaffDirectory(table).department("hq").orElseThrow().kind()).isEqualTo(DepartmentKind.MANAGEMENT);
        assertThat(responses).hasSize(1);
        assertThat(responses.get(0).path("Status").asText()).isEqualTo("SUCCESS");
        assertThat(responses.get(0).path("PhysicalResourceId").asText()).isEqualTo("initial-admin-it.admin");
        assertThat(responses.get(0).path("LogicalResourceId").asText()).isEqualTo("InitialAdministrator");
        assertThat(contentTypes.get(0)).isEmpty();
    }

    @Test
    void updateNeverOverwritesLaterChangesAndDeleteKeepsTheUser() throws Exception {
        invoke(event("Create"));
        StaffDirectory directory = new StaffDirectory(table);
        StaffUser admin = directory.user("it.admin").orElseThrow();
        StaffUser renamed = new StaffUser(admin.userId(), "张管理", admin.role(), admin.departmentId(), admin.status(),
                admin.email(), 2, admin.createdAt(), admin.updatedAt());
        directory.unitOfWork(com.rackflow.core.history.Actor.system("test")).change(StaffDirectory.USERS, admin, renamed,
                "CHANGED", null).commit();
        invoke(event("Update"));
        invoke(event("Delete"));
        assertThat(directory.user("it.admin").orElseThrow().displayName()).isEqualTo("张管理");
        assertThat(responses).extracting(r -> r.path("Status").asText()).containsExactly("SUCCESS", "SUCCESS", "SUCCESS");
    }

    @Test
    void missingUserIdFailsTheResourceWithAReason() throws Exception {
        ObjectNode e = event("Create");
        ((ObjectNode) e.path("ResourceProperties")).remove("UserId");
        invoke(e);
        assertThat(responses.get(0).path("Status").asText()).isEqualTo("FAILED");
        assertThat(responses.get(0).path("Reason").asText()).contains("UserId");
    }
}
