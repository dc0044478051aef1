package com.rackflow.customerimports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.aws.S3Files;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.local.s3.LocalS3;
import com.rackflow.testing.Events;
import com.rackflow.testing.Reply;
import com.rackflow.workitems.FlowStarter;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs imports as the API and the state machine do, against a real S3 endpoint (local/s3, SigV4 checked) and
 * dynalite: opens the import, PUTs the file to the presigned URL as a browser does, asks for the dry run or the
 * commit (the API starts an execution, recorded here), then runs the execution's task steps in the order of
 * statemachines/customer-import.asl.json (read → preview; read → commitBatch per batch (the Map) → finish) through the
 * task function. The state machine itself runs in the local stack's tests.
 */
public final class ImportDriver implements AutoCloseable {
    static final String BUCKET = "rackflow-files-test";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AtomicInteger KEYS = new AtomicInteger();

    final LocalS3 s3;
    final S3Files files;
    final CustomerImportsHandler handler;
    final CustomerImportTasksHandler tasks;
    final List<JsonNode> started = new CopyOnWriteArrayList<>();

    public ImportDriver(Table table) {
        try {
            s3 = LocalS3.start(0, Files.createTempDirectory("rackflow-s3-"), Map.of("local", "local")::get);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        s3.createBucket(new LocalS3.Bucket(BUCKET));
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        files = new S3Files(S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(creds).httpClient(UrlConnectionHttpClient.create()).build(),
                S3Presigner.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1).credentialsProvider(creds)
                        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build(), BUCKET);
        FlowStarter starter = (arn, name, input) -> {
            started.add(Json.object().put("name", name).set("input", input));
            return FlowStarter.executionArn(arn, name);
        };
        handler = new CustomerImportsHandler(table, files, starter, "arn:aws:states:us-east-1:123456789012:stateMachine:rackflow-customer-import-test");
        tasks = new CustomerImportTasksHandler(table, files);
    }

    public S3Files files() {
        return files;
    }

    static String key() {
        return "import-test-" + KEYS.incrementAndGet();
    }

    Reply open(Caller c, String fileName, long size, String defaultOwner) {
        ObjectNode b = Json.object().put("fileName", fileName).put("size", size);
        if (defaultOwner != null) {
            b.put("defaultOwnerId", defaultOwner);
        }
        return Reply.of(handler, Events.load("customer-imports/create-import.json").as(c).header("Idempotency-Key", key()).body(b));
    }

    /** PUTs the file to the import's presigned URL with the headers it names; the HTTP status. */
    static HttpResponse<String> put(JsonNode upload, byte[] file) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(upload.path("url").asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = upload.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            if (!h.getKey().equalsIgnoreCase("content-length")) {   // the HTTP client sends the body's length itself
                r.header(h.getKey(), h.getValue().asText());
            }
        }
        return HTTP.send(r.PUT(HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens an import and uploads the file: the import id. */
    public String upload(Caller c, String fileName, byte[] file, String defaultOwner) {
        Reply r = open(c, fileName, file.length, defaultOwner);
        if (r.status() != 201) {
            throw new AssertionError("open: " + r.status() + " " + r.body());
        }
        try {
            HttpResponse<String> put = put(r.body().path("upload"), file);
            if (put.statusCode() != 200) {
                throw new AssertionError("upload: " + put.statusCode() + " " + put.body());
            }
        } catch (Exception e) {
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
        return r.text("importId");
    }

    public Reply requestPreview(Caller c, String id) {
        return Reply.of(handler, Events.load("customer-imports/preview-import.json").as(c).id(id).header("Idempotency-Key", key()));
    }

    public Reply requestCommit(Caller c, String id) {
        return Reply.of(handler, Events.load("customer-imports/commit-import.json").as(c).id(id).header("Idempotency-Key", key()));
    }

    /** A task of the import's latest execution (as the state machine names it in every payload: its name, attempt 0). */
    public JsonNode task(String action, String id, Integer batch) {
        return task(action, id, batch, execution(id));
    }

    /** A task as the execution {@code execution} runs it (null: a payload that names none). */
    public JsonNode task(String action, String id, Integer batch, String execution) {
        ObjectNode e = Json.object().put("action", action).put("flowId", id);
        if (batch != null) {
            e.put("batch", batch);
        }
        if (execution != null) {
            e.put("execution", execution).put("redriveCount", 0);
        }
        return tasks.handle(e);
    }

    /** The name of the latest execution the API started for the import (null if none). */
    public String execution(String id) {
        String name = null;
        for (JsonNode s : started) {
            if (s.path("input").path("importId").asText().equals(id)) {
                name = s.path("name").asText();
            }
        }
        return name;
    }

    /** The flow's dry run (read → preview). */
    public void runPreview(String id) {
        if (task("read", id, null).path("readable").asBoolean()) {
            task("preview", id, null);
        }
    }

    /** The flow's commit: read → each batch (the Map) → finish. */
    public void runCommit(String id) {
        for (JsonNode b : task("read", id, null).path("batches")) {
            task("commitBatch", id, b.asInt());
        }
        task("finish", id, null);
    }

    public Reply get(Caller c, String id, String cursor) {
        Events e = Events.load("customer-imports/get-import.json").as(c).id(id).clearQuery();
        if (cursor != null) {
            e = e.query("cursor", cursor);
        }
        return Reply.of(handler, e);
    }

    /** GET with every page of the dry run's verdicts gathered into {@code results.items}. */
    JsonNode getAll(Caller c, String id) {
        Reply first = get(c, id, null);
        ObjectNode body = (ObjectNode) first.body().deepCopy();
        if (!body.has("results")) {
            return body;
        }
        ArrayNode items = (ArrayNode) body.path("results").path("items");
        String cursor = first.body().path("results").path("nextCursor").asText(null);
        while (cursor != null) {
            Reply next = get(c, id, cursor);
            next.body().path("results").path("items").forEach(items::add);
            cursor = next.body().path("results").path("nextCursor").asText(null);
        }
        return body;
    }

    /** Upload, dry run through the flow's steps, all verdicts. */
    JsonNode preview(Caller c, String fileName, byte[] file, String defaultOwner) {
        String id = upload(c, fileName, file, defaultOwner);
        Reply r = requestPreview(c, id);
        if (r.status() != 202) {
            throw new AssertionError("preview: " + r.status() + " " + r.body());
        }
        runPreview(id);
        return getAll(c, id);
    }

    List<String> startedNames() {
        List<String> out = new ArrayList<>();
        started.forEach(s -> out.add(s.path("name").asText()));
        return out;
    }

    @Override
    public void close() {
        s3.close();
    }
}
