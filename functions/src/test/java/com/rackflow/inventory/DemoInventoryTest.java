package com.rackflow.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** events/inventory/demo-inventory.json seeds through the API as documented in it, and seeding twice is harmless. */
class DemoInventoryTest {

    /** Seeds the file the documented way; returns how many records were created. */
    static int seed(InventoryHandler api) throws Exception {
        JsonNode demo = Json.read(Files.readString(LocalTable.repositoryRoot().resolve("events/inventory/demo-inventory.json")));
        int created = 0;
        for (JsonNode site : demo.path("sites")) {
            ObjectNode s = Json.object();
            s.put("code", site.path("code").asText()).put("name", site.path("name").asText())
                    .put("city", site.path("city").asText()).put("address", site.path("address").asText());
            Reply sr = post(api, "create-site.json", s);
            created += sr.status() == 201 ? 1 : 0;
            String siteId = idOf(sr, "siteId");
            for (JsonNode room : site.path("rooms")) {
                ObjectNode r = Json.object().put("siteId", siteId).put("name", room.path("name").asText()).put("floor", room.path("floor").asText());
                Reply rr = post(api, "create-room.json", r);
                created += rr.status() == 201 ? 1 : 0;
                String roomId = idOf(rr, "roomId");
                for (JsonNode rack : room.path("racks")) {
                    ObjectNode k = ((ObjectNode) rack.deepCopy()).put("roomId", roomId);
                    Reply kr = post(api, "create-rack.json", k);
                    created += kr.status() == 201 ? 1 : 0;
                    idOf(kr, "rackId");
                }
            }
            for (JsonNode prefix : site.path("ipPrefixes")) {
                Reply pr = post(api, "create-ip-prefix.json", ((ObjectNode) prefix.deepCopy()).put("siteId", siteId));
                created += pr.status() == 201 ? 1 : 0;
                idOf(pr, "prefixId");
            }
        }
        return created;
    }

    private static Reply post(InventoryHandler api, String event, ObjectNode body) {
        return Reply.of(api, Events.load("inventory/" + event).as(Staff.ADMIN).header("Idempotency-Key", null).body(body));
    }

    private static String idOf(Reply r, String field) {
        if (r.status() == 201) {
            return r.text(field);
        }
        assertThat(r.status()).as(r.body().toString()).isEqualTo(409);
        assertThat(r.errorCode()).startsWith("DUPLICATE_");
        return r.body().path("error").path("details").path("existingId").asText();
    }

    @Test
    void demoInventorySeedsThroughTheApiAndAgainHarmlessly() throws Exception {
        Table table = LocalTable.create();
        Staff.seed(table);
        InventoryHandler api = new InventoryHandler(table, id -> Optional.empty());
        assertThat(seed(api)).isEqualTo(2 + 3 + 8 + 3);
        assertThat(seed(api)).isZero();
        Reply sites = Reply.of(api, Events.load("inventory/list-sites.json").as(Staff.OPERATIONS));
        assertThat(sites.body().path("items")).hasSize(2);
        String site = sites.body().path("items").path(0).path("siteId").asText();
        Reply capacity = Reply.of(api, Events.load("inventory/site-capacity.json").as(Staff.OPERATIONS).id(site));
        assertThat(capacity.body().path("units").path("free").asLong()).isPositive();
        assertThat(capacity.body().path("ipAddresses").path("free").asLong()).isPositive();
    }
}
