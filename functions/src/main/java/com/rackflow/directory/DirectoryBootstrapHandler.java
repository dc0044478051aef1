package com.rackflow.directory;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Role;
import com.rackflow.core.history.Actor;
import com.rackflow.core.persistence.UnitOfWork;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.core.persistence.Table;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The CloudFormation custom resource that gives a new deployment its first administrator: the directory decides
 * every role, so without one nobody could add staff. Create and Update add the user (and the management department)
 * only when missing, never overwriting later changes; Delete keeps them (staff records outlive the stack resource).
 * The outcome goes to CloudFormation's pre-signed response URL.
 */
public class DirectoryBootstrapHandler implements RequestStreamHandler {
    static final String ACTOR = "system:bootstrap";
    private final Table table;

    public DirectoryBootstrapHandler() {
        this(Dynamo.table());
    }

    public DirectoryBootstrapHandler(Table table) {
        this.table = table;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        Log.begin(event.path("RequestId").asText(""), ACTOR, "custom-resource " + event.path("RequestType").asText(""));
        String physicalId = "initial-admin-" + event.path("ResourceProperties").path("UserId").asText("");
        String status = "SUCCESS";
        String reason = null;
        try {
            if (!"Delete".equals(event.path("RequestType").asText())) {
                ensureAdministrator(event.path("ResourceProperties"));
            }
        } catch (RuntimeException e) {
            Log.error("initial administrator not created", e);
            status = "FAILED";
            reason = e.getMessage();
        }
        respond(event, status, physicalId, reason);
        Log.end();
    }

    /** Adds the administrator and their department when missing; true when the user was created now. */
    boolean ensureAdministrator(JsonNode props) {
        String userId = required(props, "UserId");
        String displayName = props.path("DisplayName").asText("").isBlank() ? userId : props.path("DisplayName").asText();
        String departmentId = props.path("DepartmentId").asText("").isBlank() ? "hq" : props.path("DepartmentId").asText();
        if (!DirectoryService.ID.matcher(userId).matches() || !DirectoryService.ID.matcher(departmentId).matches()) {
            throw new IllegalArgumentException("UserId and DepartmentId must be 1 to 128 letters, digits or . _ @ -");
        }
        StaffDirectory directory = new StaffDirectory(table);
        String now = Instant.now().toString();
        String email = props.path("Email").asText("").isBlank() ? null : props.path("Email").asText();
        StaffUser admin = new StaffUser(userId, displayName, Role.ADMIN, departmentId, UserStatus.ACTIVE, email, 1, now, now);
        // what is missing, with its history, in one unit of work; a later change by an admin is never overwritten
        UnitOfWork uow = directory.unitOfWork(Actor.system(ACTOR));
        if (directory.department(departmentId).isEmpty()) {
            uow.create(StaffDirectory.DEPARTMENTS, new Department(departmentId, "Head office", "总部",
                    DepartmentKind.MANAGEMENT, userId, 1), "CREATED", "initial administrator's department", AlreadyThere::new);
        }
        boolean created = directory.user(userId).isEmpty();
        if (created) {
            uow.create(StaffDirectory.USERS, admin, "CREATED", "initial administrator", AlreadyThere::new);
        }
        try {
            uow.commit();
        } catch (AlreadyThere e) {
            created = false; // a concurrent run wrote them
        }
        Log.info(created ? "initial administrator created" : "initial administrator already present", "userId", userId);
        return created;
    }

    private static final class AlreadyThere extends RuntimeException {
        AlreadyThere() {
            super(null, null, false, false);
        }
    }

    private static String required(JsonNode props, String name) {
        String v = props.path(name).asText("");
        if (v.isBlank()) {
            throw new IllegalArgumentException("custom resource property " + name + " is required");
        }
        return v;
    }

    /** PUT the outcome to the pre-signed URL (no content type: the URL was signed without one). */
    static void respond(JsonNode event, String status, String physicalId, String reason) throws IOException {
        ObjectNode body = Json.object();
        body.put("Status", status);
        body.put("Reason", reason == null ? "see the function's log stream" : reason);
        body.put("PhysicalResourceId", physicalId);
        body.put("StackId", event.path("StackId").asText(""));
        body.put("RequestId", event.path("RequestId").asText(""));
        body.put("LogicalResourceId", event.path("LogicalResourceId").asText(""));
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        HttpURLConnection c = (HttpURLConnection) URI.create(event.path("ResponseURL").asText()).toURL().openConnection();
        c.setRequestMethod("PUT");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "");
        c.setFixedLengthStreamingMode(bytes.length);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        try (OutputStream out = c.getOutputStream()) {
            out.write(bytes);
        }
        int code = c.getResponseCode();
        c.disconnect();
        if (code / 100 != 2) {
            throw new IOException("CloudFormation response URL answered " + code);
        }
    }
}
