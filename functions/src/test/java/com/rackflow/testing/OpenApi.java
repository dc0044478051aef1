package com.rackflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * openapi.yaml as the tests read it: its operations, and JSON Schema validation of request bodies and answers
 * against it (the document's own schemas, {@code $ref}s resolved inside it).
 */
public final class OpenApi {
    private static volatile ObjectNode document;
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    /** Plain Jackson: the local stack's end-to-end tests use this class without the functions' dependencies. */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private OpenApi() {
    }

    public static ObjectNode document() {
        ObjectNode d = document;
        if (d == null) {
            try {
                Object yaml = new Yaml(new SafeConstructor(new LoaderOptions()))
                        .load(Files.readString(com.rackflow.local.dynalite.Dynalite.repositoryRoot().resolve("openapi.yaml")));
                d = (ObjectNode) JSON.valueToTree(yaml);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            document = d;
        }
        return d;
    }

    /** Every operation as {@code METHOD /path}. */
    public static Set<String> operations() {
        Set<String> out = new TreeSet<>();
        document().path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (Set.of("get", "post", "put", "patch", "delete").contains(m)) {
                out.add(m.toUpperCase() + " " + p.getKey());
            }
        }));
        return out;
    }

    public static Optional<JsonNode> operation(String method, String resource) {
        JsonNode op = document().path("paths").path(resource).path(method.toLowerCase());
        return op.isMissingNode() ? Optional.empty() : Optional.of(op);
    }

    /** What is wrong with an answer of an operation; empty when it matches the document. */
    public static Set<String> answerProblems(String method, String resource, int status, String body) {
        JsonNode op = operation(method, resource).orElse(null);
        if (op == null) {
            return Set.of(method + " " + resource + " is not in openapi.yaml");
        }
        String code = String.valueOf(status);
        JsonNode response = op.path("responses").path(code);
        String pointer = pointer(resource, method) + "/responses/" + code;
        if (response.isMissingNode()) {
            return Set.of(method + " " + resource + ": status " + status + " is not described");
        }
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = resolve(response.get("$ref").asText());
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return body == null || body.isEmpty() ? Set.of() : Set.of(method + " " + resource + " " + status + ": a body where none is described");
        }
        return validate(pointer + "/content/application~1json/schema", body, method + " " + resource + " " + status);
    }

    /** What is wrong with a request body; empty when it matches the operation's request body schema. */
    public static Set<String> requestProblems(String method, String resource, String body) {
        JsonNode op = operation(method, resource).orElse(null);
        if (op == null) {
            return Set.of(method + " " + resource + " is not in openapi.yaml");
        }
        JsonNode schema = op.path("requestBody").path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return body == null || body.isBlank() ? Set.of() : Set.of(method + " " + resource + ": a request body where none is described");
        }
        if (body == null || body.isBlank()) {
            return op.path("requestBody").path("required").asBoolean(false) ? Set.of(method + " " + resource + ": body required") : Set.of();
        }
        return validate(pointer(resource, method) + "/requestBody/content/application~1json/schema", body, method + " " + resource + " request");
    }

    private static Set<String> validate(String pointer, String body, String what) {
        JsonSchema schema = SCHEMAS.computeIfAbsent(pointer, p -> {
            ObjectNode root = document().deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.put("$ref", "#" + p);
            return FACTORY.getSchema(root);
        });
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            return Set.of(what + ": not JSON");
        }
        Set<ValidationMessage> problems = schema.validate(node);
        return problems.stream().map(m -> what + ": " + m.getMessage()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode resolve(String ref) {
        return document().at(ref.substring(1));
    }

    private static String pointer(String resource, String method) {
        return "/paths/" + resource.replace("~", "~0").replace("/", "~1") + "/" + method.toLowerCase();
    }

    /**
     * The document's path template a concrete request path (query string dropped) falls under, the most literal one
     * when several match ({@code /customers/export} before {@code /customers/{id}}); empty when none does.
     */
    public static Optional<String> resourceOf(String path) {
        String[] parts = path.split("\\?", 2)[0].replaceAll("/+$", "").split("/");
        String best = null;
        int bestLiterals = -1;
        for (Iterator<String> names = document().path("paths").fieldNames(); names.hasNext(); ) {
            String template = names.next();
            String[] t = template.split("/");
            if (t.length != parts.length) {
                continue;
            }
            int literals = 0;
            boolean matches = true;
            for (int i = 0; i < t.length && matches; i++) {
                boolean variable = t[i].startsWith("{") && t[i].endsWith("}");
                matches = variable ? !parts[i].isEmpty() : t[i].equals(parts[i]);
                literals += variable ? 0 : 1;
            }
            if (matches && literals > bestLiterals) {
                best = template;
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    public static Iterator<Map.Entry<String, JsonNode>> paths() {
        return document().path("paths").fields();
    }
}
