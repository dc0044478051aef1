package com.rackflow.local.stack.seed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.local.stack.log.JsonLog;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Seeds the demo data-center inventory (events/inventory/demo-inventory.json: sites → rooms → racks, IP prefixes)
 * through the running API as the admin, parents first. Keys are derived from the names, so seeding a persisted
 * stack again replays the first answers; a 409 DUPLICATE_* names the existing record's id.
 */
public final class InventorySeeder {
    private static final JsonLog LOG = JsonLog.of("seed");

    /** @param ready records created or already there; @param failed records refused for another reason */
    public record Outcome(int ready, int failed, boolean apiMissing) {
    }

    public Outcome seed(URI apiBase, String adminToken, Path inventoryFile) {
        SeedApi api = new SeedApi(apiBase);
        int[] counts = new int[2];
        try {
            JsonNode demo = SeedApi.JSON.readTree(Files.readString(inventoryFile));
            for (JsonNode site : demo.path("sites")) {
                String code = site.path("code").asText();
                String siteId = create(api, adminToken, "/sites", "demo-site-" + code, without(site, "rooms", "ipPrefixes"),
                        "siteId", counts);
                if (siteId == null) {
                    continue;
                }
                for (JsonNode room : site.path("rooms")) {
                    ObjectNode body = without(room, "racks");
                    body.put("siteId", siteId);
                    String roomId = create(api, adminToken, "/rooms", "demo-room-" + code + "-" + room.path("name").asText(),
                            body, "roomId", counts);
                    if (roomId == null) {
                        continue;
                    }
                    for (JsonNode rack : room.path("racks")) {
                        ObjectNode r = rack.deepCopy();
                        r.put("roomId", roomId);
                        create(api, adminToken, "/racks", "demo-rack-" + code + "-" + rack.path("name").asText(), r, "rackId", counts);
                    }
                }
                for (JsonNode prefix : site.path("ipPrefixes")) {
                    ObjectNode p = prefix.deepCopy();
                    p.put("siteId", siteId);
                    create(api, adminToken, "/ip-prefixes", "demo-prefix-" + prefix.path("cidr").asText().replace('/', '_'),
                            p, "prefixId", counts);
                }
            }
        } catch (MissingRoute e) {
            LOG.warn("the inventory API is not served; demo inventory skipped", "path", e.getMessage());
            return new Outcome(counts[0], counts[1], true);
        } catch (IOException e) {
            LOG.error("demo inventory not seeded", "error", e.toString());
            return new Outcome(counts[0], counts[1] + 1, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(counts[0], counts[1] + 1, false);
        }
        return new Outcome(counts[0], counts[1], false);
    }

    /** The new or existing record's id, or null when it was refused. */
    private static String create(SeedApi api, String token, String path, String key, ObjectNode body, String idField,
                                 int[] counts) throws IOException, InterruptedException {
        SeedApi.Answer a = api.post(path, token, key, body);
        if (a.missingRoute()) {
            throw new MissingRoute(path);
        }
        if (a.status() == 200 || a.status() == 201) {
            counts[0]++;
            return a.body().path(idField).asText(null);
        }
        String existing = a.body().path("error").path("details").path("existingId").asText(null);
        if (a.status() == 409 && existing != null) {
            counts[0]++;
            return existing;
        }
        counts[1]++;
        LOG.error("demo inventory record refused", "path", path, "idempotencyKey", key, "status", a.status(),
                "errorCode", a.errorCode());
        return null;
    }

    private static ObjectNode without(JsonNode node, String... fields) {
        ObjectNode copy = node.deepCopy();
        for (String f : fields) {
            copy.remove(f);
        }
        return copy;
    }

    private static final class MissingRoute extends RuntimeException {
        MissingRoute(String path) {
            super(path, null, false, false);
        }
    }

}
