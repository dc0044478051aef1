package com.rackflow.customerexports;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.spreadsheet.SheetReader;
import com.rackflow.customerimports.ImportDriver;
import com.rackflow.customers.Customer;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /customer-exports: queued (202), handed to the job function (recorded here, then run as Lambda would run the
 * asynchronous event), the file written to a real S3 endpoint (local/s3) and read back through the presigned GET the
 * job's view answers: the list's scope, filters and format; only the requester reads the job.
 */
class CustomerExportJobTest {
    static Table table;
    static ImportDriver s3;
    static CustomerExportsHandler api;
    static CustomerExportJobHandler job;
    static final List<String> queued = new CopyOnWriteArrayList<>();
    static Customer mine;
    static Customer colleagues;
    static Customer south;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        s3 = new ImportDriver(table);
        api = new CustomerExportsHandler(table, s3.files(), queued::add);
        job = new CustomerExportJobHandler(table, s3.files());
        CrmFixture fixture = new CrmFixture(table);
        mine = fixture.customer(EAST_SALES_1);
        colleagues = fixture.customer(EAST_SALES_2);
        south = fixture.customer(SOUTH_SALES_1);
    }

    @AfterAll
    static void tearDown() {
        s3.close();
    }

    static JsonNode exportAs(com.rackflow.access.Caller c, String body) {
        Reply r = Reply.of(api, Events.load("customer-exports/start-export.json").as(c).body(body)
                .header("Idempotency-Key", "export-" + System.nanoTime()));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(202);
        assertThat(r.text("status")).isEqualTo("QUEUED");
        String id = r.text("exportId");
        assertThat(queued).contains(id);
        job.handle(Json.object().put("exportId", id));
        job.handle(Json.object().put("exportId", id));   // a repeated delivery finds it done
        Reply done = Reply.of(api, Events.load("customer-exports/get-export.json").as(c).id(id));
        assertThat(done.status()).isEqualTo(200);
        return done.body();
    }

    static List<List<String>> download(String url) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
        List<List<String>> rows = new ArrayList<>();
        for (SheetReader.Row row : SheetReader.read(r.body()).rows()) {
            rows.add(row.cells().stream().map(SheetReader.Cell::text).toList());
        }
        return rows;
    }

    @Test
    void aSalespersonsExportHoldsTheirCustomersOnlyAndIsReadThroughAPresignedGet() throws Exception {
        JsonNode done = exportAs(EAST_SALES_1, "{\"format\":\"csv\"}");
        assertThat(done.path("status").asText()).isEqualTo("DONE");
        assertThat(done.path("rows").asInt()).isEqualTo(1);
        List<List<String>> rows = download(done.path("downloadUrl").asText());
        assertThat(rows.get(0)).startsWith("客户编号", "公司名称");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get(0)).isEqualTo(mine.code());
        // another person does not see the job, even their manager
        assertThat(Reply.of(api, Events.load("customer-exports/get-export.json").as(EAST_MANAGER).id(done.path("exportId").asText()))
                .status()).isEqualTo(404);
    }

    @Test
    void aManagersXlsxExportHoldsTheDepartmentAndNotAnotherRegion() throws Exception {
        JsonNode done = exportAs(EAST_MANAGER, "{\"format\":\"xlsx\"}");
        assertThat(done.path("status").asText()).isEqualTo("DONE");
        List<String> codes = download(done.path("downloadUrl").asText()).stream().skip(1).map(r -> r.get(0)).toList();
        assertThat(codes).contains(mine.code(), colleagues.code()).doesNotContain(south.code());
        assertThat(done.path("fileName").asText()).endsWith(".xlsx");
    }

    @Test
    void badFiltersAreRefusedAndMaintenanceMayNotExport() {
        Reply bad = Reply.of(api, Events.load("customer-exports/start-export.json").as(EAST_SALES_1).body("{\"format\":\"pdf\"}"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.firstViolationField()).isEqualTo("format");
        Reply status = Reply.of(api, Events.load("customer-exports/start-export.json").as(EAST_SALES_1).body("{\"status\":\"NOPE\"}"));
        assertThat(status.firstViolationField()).isEqualTo("status");
        assertThat(Reply.of(api, Events.load("customer-exports/start-export.json").as(MAINTENANCE).body("{}")).status()).isEqualTo(403);
    }
}
