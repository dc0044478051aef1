package com.rackflow.core.priming;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.http.ApiHandler;
import com.rackflow.core.json.Json;
import com.rackflow.core.logging.Log;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * SnapStart priming: before the snapshot is taken, each API function serves one read of a record that does not
 * exist, so Jackson, the SDK client, the HTTP connection code and the routing are loaded and JIT-warmed in the
 * snapshot. It reads only; nothing is written.
 */
public final class Priming implements Resource {
    // CRaC keeps weak references to resources; these keep them alive.
    private static final List<Priming> REGISTERED = new ArrayList<>();

    private final ApiHandler handler;
    private final String readResource;

    private Priming(ApiHandler handler, String readResource) {
        this.handler = handler;
        this.readResource = readResource;
    }

    /** {@code readResource}: a GET route, usually with an {id} path parameter, e.g. {@code /customers/{id}}. */
    public static synchronized void register(ApiHandler handler, String readResource) {
        Priming p = new Priming(handler, readResource);
        REGISTERED.add(p);
        Core.getGlobalContext().register(p);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            handler.prime(primingEvent(readResource));
        } catch (RuntimeException e) {
            Log.warn("priming read failed; the snapshot is taken without it", "errorType", e.getClass().getName());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to re-establish: the SDK client reconnects lazily
    }

    /** A REST proxy event for GET {@code resource} with an id that cannot exist, as the admin role. */
    public static ObjectNode primingEvent(String resource) {
        String id = "priming-00000000";
        ObjectNode e = Json.object();
        e.put("resource", resource);
        e.put("path", resource.replace("{id}", id));
        e.put("httpMethod", "GET");
        e.putObject("pathParameters").put("id", id);
        e.putObject("headers");
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("requestId", "snapstart-priming");
        ctx.putObject("authorizer").put("userId", "snapstart-priming").put("role", "ADMIN").put("departmentId", "-");
        return e;
    }
}
