package com.rackflow.customers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static com.rackflow.testing.Staff.EAST_SALES_1;
import static com.rackflow.testing.Staff.EAST_SALES_2;
import static org.assertj.core.api.Assertions.assertThat;

/** 查重 through the API with names and phones as people (and copy-paste) write them; bytes and characters refused. */
class CustomerInputHardeningTest {
    static Table table;
    static CustomersHandler handler;
    static int seq;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new CustomersHandler(table);
    }

    static ObjectNode body(String name, String phone) {
        ObjectNode b = Json.object();
        b.put("companyName", name);
        b.putArray("contacts").addObject().put("name", "王磊").put("phone", phone);
        return b;
    }

    static Reply create(Caller c, Object body) {
        return Reply.of(handler, Events.load("customers/create-customer.json").as(c).header("Idempotency-Key", null).body(body));
    }

    static String digits(int n) {
        return String.format("%0" + n + "d", (System.nanoTime() / 1000 + (++seq)) % (long) Math.pow(10, n));
    }

    @Test
    void invisibleCharactersAndGroupMarkersDoNotBypassDuplicateDetection() {
        String base = "杭州星河" + digits(6) + "数据";
        assertThat(create(EAST_SALES_1, body(base + "有限公司", "139" + digits(8))).status()).isEqualTo(201);
        for (String variant : new String[]{base + "\u200B有限公司", "\uFEFF" + base + "有限公司（集团）",
                base.substring(0, 2) + "\u00AD" + base.substring(2) + "（集团）股份有限公司", base + "\u200D集团有限公司"}) {
            Reply r = create(EAST_SALES_2, body(variant, "139" + digits(8)));
            assertThat(r.status()).as(variant).isEqualTo(409);
            assertThat(r.errorCode()).isEqualTo("DUPLICATE_CUSTOMER");
            assertThat(r.body().path("error").path("details").path("field").asText()).isEqualTo("companyName");
        }
    }

    @Test
    void mobilesAsWrittenAreStoredCanonicalAndMatchTheirDuplicates() {
        String n = digits(8);
        String spaced = "139 " + n.substring(0, 4) + " " + n.substring(4);
        Reply created = create(EAST_SALES_1, body("宁波" + digits(6) + "有限公司", spaced));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("contacts").path(0).path("phone").asText()).isEqualTo("139" + n);
        for (String other : new String[]{"139-" + n.substring(0, 4) + "-" + n.substring(4), "+86 " + spaced, "0086139" + n}) {
            Reply dup = create(EAST_SALES_2, body("温州" + digits(6) + "有限公司", other));
            assertThat(dup.status()).as(other).isEqualTo(409);
            assertThat(dup.body().path("error").path("details").path("field").asText()).isEqualTo("contacts.phone");
        }
    }

    @Test
    void landlinesAsWrittenAreStoredCanonicalAndMatchTheirDuplicates() {
        String n = "6" + digits(7);
        Reply created = create(EAST_SALES_1, body("苏州" + digits(6) + "有限公司", "(021) " + n.substring(0, 4) + "-" + n.substring(4)));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("contacts").path(0).path("phone").asText()).isEqualTo("021-" + n);
        Reply dup = create(EAST_SALES_2, body("无锡" + digits(6) + "有限公司", "+86 21 " + n));
        assertThat(dup.status()).isEqualTo(409);
        Reply bad = create(EAST_SALES_1, body("常州" + digits(6) + "有限公司", "021-123"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.violations()).contains("contacts[0].phone:phone");
    }

    @Test
    void controlCharactersInTextFieldsAre400NamingTheField() {
        for (String c : new String[]{"\u0000", "\u0007", "\u001B[31m", "\u007F"}) {
            Reply r = create(EAST_SALES_1, body("嘉兴" + c + digits(6) + "有限公司", "139" + digits(8)));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.violations()).containsExactly("companyName:controlCharacters");
        }
        ObjectNode b = body("湖州" + digits(6) + "有限公司", "139" + digits(8));
        ((ObjectNode) b.path("contacts").path(0)).put("name", "王\u0000磊");
        b.put("notes", "第一行\n第二行\t制表");
        Reply r = create(EAST_SALES_1, b);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.violations()).containsExactly("contacts[0].name:controlCharacters");
    }

    @Test
    void bodiesThatAreNotUtf8AreRefusedAsAWhole() {
        byte[] json = ("{\"companyName\":\"绍兴" + digits(6) + "有限公司\",\"contacts\":[{\"name\":\"王磊\",\"phone\":\"139"
                + digits(8) + "\"}]}").getBytes(StandardCharsets.UTF_8);
        byte[] broken = json.clone();
        broken[17] = (byte) 0xFF; // inside the company name
        var event = Events.load("customers/create-customer.json").as(EAST_SALES_1).header("Idempotency-Key", null)
                .body(Base64.getEncoder().encodeToString(broken));
        event.json().put("isBase64Encoded", true);
        Reply r = Reply.of(handler, event);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.violations()).containsExactly("body:encoding");
        // API Gateway hands a text body over with the bad bytes already replaced by U+FFFD
        Reply replaced = create(EAST_SALES_1, new String(broken, StandardCharsets.UTF_8));
        assertThat(replaced.status()).isEqualTo(400);
        assertThat(replaced.violations()).containsExactly("body:encoding");
        // the same body, intact, is accepted
        var ok = Events.load("customers/create-customer.json").as(EAST_SALES_1).header("Idempotency-Key", null)
                .body(Base64.getEncoder().encodeToString(json));
        ok.json().put("isBase64Encoded", true);
        assertThat(Reply.of(handler, ok).status()).isEqualTo(201);
    }
}
