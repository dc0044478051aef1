package com.rackflow.access;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.config.Config;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import com.rackflow.core.persistence.Dynamo;
import com.rackflow.directory.StaffDirectory;
import com.rackflow.directory.StaffUser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The API's TOKEN authorizer. The token proves who the caller is; role, department and status come from the staff
 * directory, so a role change or a departure takes effect without a new token. The policy allows the role's modules
 * with wildcard resources so API Gateway's cached decision fits every route of that role; other modules answer 403.
 * An invalid token, an unknown or departed user gets API Gateway's 401 ("Unauthorized").
 */
public class AuthorizerHandler implements RequestStreamHandler {
    static final String UNAUTHORIZED = "Unauthorized";

    private final TokenVerifier verifier;
    private final StaffDirectory directory;

    public AuthorizerHandler() {
        this(TokenVerifier.forJwksUrl(Config.required("JWT_ISSUER"), Config.required("JWT_AUDIENCE"), Config.required("JWKS_URL")),
                new StaffDirectory(Dynamo.table()));
        com.rackflow.core.priming.Priming.register("authorizer", () -> com.rackflow.core.priming.Priming.repeatIo(this::prime));
        com.rackflow.core.priming.Priming.register("authorizer-in-memory", () -> com.rackflow.core.priming.Priming.repeat(this::primeInMemory));
    }

    /**
     * SnapStart priming: the JWKS fetched (nimbus caches it), a token signed with a throwaway key under one of its key
     * ids verified (and refused: the signature does not match), the directory read for a user who does not exist,
     * and the policy answer of a full one written as JSON: everything a first request does, nothing it decides.
     */
    void prime() {
        directory.user("snapstart-priming", com.rackflow.core.persistence.Table.Read.EVENTUAL);
    }

    /** The priming steps without a DynamoDB call (the JWKS is fetched once, then cached by nimbus). */
    void primeInMemory() {
        verifier.prime();
        com.rackflow.core.priming.Priming.readRecord(StaffUser.class);
        StaffUser admin = new StaffUser("snapstart-priming", "预热", Role.ADMIN, "-", com.rackflow.directory.UserStatus.ACTIVE,
                null, 1, null, null);
        Json.write(policy(admin, "arn:aws:execute-api:us-east-1:123456789012:priming/live/GET/customers"));
        // the refusal path, as an invalid token takes it, from the event's bytes as the runtime hands them
        byte[] event = Json.write(Json.object().put("type", "TOKEN").put("authorizationToken", "Bearer not-a-token")
                .put("methodArn", "arn:aws:execute-api:us-east-1:123456789012:priming/live/GET/customers")).getBytes(StandardCharsets.UTF_8);
        try {
            handleRequest(new java.io.ByteArrayInputStream(event), new java.io.ByteArrayOutputStream(), null);
        } catch (UnauthorizedException expected) {
            // refused, as intended
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public AuthorizerHandler(TokenVerifier verifier, StaffDirectory directory) {
        this.verifier = verifier;
        this.directory = directory;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        Log.begin(context == null ? "" : context.getAwsRequestId(), null, route(event.path("methodArn").asText("")));
        try {
            output.write(Json.write(authorize(event)).getBytes(StandardCharsets.UTF_8));
        } finally {
            Log.end();
        }
    }

    /** The authorizer answer for a TOKEN event; throws "Unauthorized" as API Gateway expects for a 401. */
    public ObjectNode authorize(JsonNode event) {
        String methodArn = event.path("methodArn").asText("");
        Optional<String> subject = bearer(event.path("authorizationToken").asText("")).flatMap(verifier::verify);
        // eventually consistent (half the read units): API Gateway caches this decision for 300 s, and every function
        // reads the caller's profile again (strongly for a request that may write)
        Optional<StaffUser> user = subject.flatMap(u -> directory.user(u, com.rackflow.core.persistence.Table.Read.EVENTUAL))
                .filter(StaffUser::isActive);
        if (user.isEmpty()) {
            Log.info("authorization refused", "reason", subject.isEmpty() ? "invalid token" : "unknown or departed user");
            throw new UnauthorizedException();
        }
        StaffUser u = user.get();
        Log.info("authorized", "userId", u.userId(), "role", u.role().name());
        return policy(u, methodArn);
    }

    static ObjectNode policy(StaffUser user, String methodArn) {
        ObjectNode out = Json.object();
        out.put("principalId", user.userId());
        ObjectNode doc = out.putObject("policyDocument");
        doc.put("Version", "2012-10-17");
        ObjectNode statement = doc.putArray("Statement").addObject();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", "Allow");
        ArrayNode resources = statement.putArray("Resource");
        String base = apiStageArn(methodArn);
        for (Module m : AccessPolicy.modules(user.role())) {
            for (String root : m.pathRoots()) {
                resources.add(base + "/*/" + root);
                resources.add(base + "/*/" + root + "/*");
            }
        }
        ObjectNode ctx = out.putObject("context");
        ctx.put("userId", user.userId());
        ctx.put("role", user.role().name());
        ctx.put("departmentId", user.departmentId());
        return out;
    }

    /** "METHOD /path" of a method ARN, for the log lines. */
    static String route(String methodArn) {
        String[] parts = methodArn.split("/", 4);
        return parts.length < 3 ? "" : parts[2] + " /" + (parts.length > 3 ? parts[3] : "");
    }

    /** {@code arn:aws:execute-api:region:account:apiId/stage} of a method ARN {@code .../stage/METHOD/path}. */
    static String apiStageArn(String methodArn) {
        String[] parts = methodArn.split("/", 3);
        if (parts.length < 2) {
            throw new UnauthorizedException();
        }
        return parts[0] + "/" + parts[1];
    }

    private static Optional<String> bearer(String header) {
        String h = header.trim();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7) && h.length() > 7) {
            return Optional.of(h.substring(7).trim());
        }
        return Optional.empty();
    }

    /** Lambda reports the message; API Gateway turns exactly "Unauthorized" into a 401. */
    static final class UnauthorizedException extends RuntimeException {
        UnauthorizedException() {
            super(UNAUTHORIZED, null, false, false);
        }
    }
}
