package com.rackflow.customerimports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rackflow.access.Caller;
import com.rackflow.core.http.ApiResponse;
import com.rackflow.core.json.Json;
import com.rackflow.core.persistence.Table;
import com.rackflow.core.spreadsheet.SheetReader;
import com.rackflow.customers.Contact;
import com.rackflow.customers.Customer;
import com.rackflow.customers.CustomerDetails;
import com.rackflow.customers.CustomerService;
import com.rackflow.customers.CustomerSource;
import com.rackflow.customers.CustomerStore;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.CrashingDynamo;
import com.rackflow.testing.Events;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Reply;
import com.rackflow.testing.Staff;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static com.rackflow.testing.Staff.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Customer import: a generated file with planted problems (invalid credit codes, bad phones, duplicates inside the file,
 * duplicates of existing customers in and out of the importer's scope, empty rows, formulas, GBK), previewed with exact
 * counts and nothing written, committed once even across a crash, and the importer's scope kept.
 */
class CustomerImportTest {
    static final int ROWS = 600;
    /** Commits create customers one transaction each: a smaller file keeps the suite fast (4 blocks of 50). */
    static final int COMMIT_ROWS = 200;
    /** Two batches (117 data rows), the least a crash between batches needs. */
    static final int CRASH_ROWS = 120;
    static final AtomicInteger TAG = new AtomicInteger(1000);
    static Table table;
    static CustomerImportsHandler handler;
    static CustomerService customers;
    static Customer inScope;
    static Customer outOfScope;

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        handler = new CustomerImportsHandler(table);
        customers = new CustomerService(table);
        inScope = new CrmFixture(table).customer(EAST_SALES_1);
        outOfScope = new CrmFixture(table).customer(SOUTH_SALES_1);
    }

    static PlantedFile planted() {
        return planted(ROWS);
    }

    static PlantedFile planted(int rows) {
        return new PlantedFile(rows, TAG.incrementAndGet(), inScope.companyName(), outOfScope.creditCode());
    }

    static ObjectNode body(String fileName, byte[] file, boolean dryRun, String defaultOwner) {
        ObjectNode b = Json.object();
        b.put("fileName", fileName);
        b.put("content", Base64.getEncoder().encodeToString(file));
        b.put("dryRun", dryRun);
        if (defaultOwner != null) {
            b.put("defaultOwnerId", defaultOwner);
        }
        return b;
    }

    static Reply post(Caller c, ObjectNode body) {
        return Reply.of(handler, Events.load("customer-imports/preview-import.json").as(c).body(body));
    }

    static long items() {
        return LocalTable.client().scan(ScanRequest.builder().tableName(table.name()).select("COUNT").build()).count();
    }

    static JsonNode result(Reply preview, int row) {
        for (JsonNode r : preview.body().path("results")) {
            if (r.path("row").asInt() == row) {
                return r;
            }
        }
        throw new AssertionError("no result for row " + row);
    }

    @Test
    void dryRunOfAPlantedFileCountsEveryProblemExactlyAndWritesNothing() {
        PlantedFile f = planted();
        long before = items();
        Reply r = post(EAST_SALES_1, body("客户.csv", f.csv(StandardCharsets.UTF_8), true, null));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(items()).as("the dry run wrote nothing").isEqualTo(before);
        // 600 rows: 12 blocks of 50 with 4 invalid, 1 in-file duplicate and 1 empty row each, 2 existing duplicates
        assertThat(f.invalid).isEqualTo(48);
        assertThat(f.duplicate).isEqualTo(14);
        assertThat(f.empty).isEqualTo(12);
        assertThat(f.ok).isEqualTo(526);
        java.util.Map<Integer, String> verdicts = new java.util.TreeMap<>();
        r.body().path("results").forEach(x -> verdicts.put(x.path("row").asInt(), x.path("status").asText()));
        assertThat(verdicts.keySet()).isEqualTo(f.expected.keySet());
        assertThat(verdicts.entrySet().stream().filter(e -> !e.getValue().equals(f.expected.get(e.getKey()))).toList())
                .as("rows whose verdict is not the planted one").isEmpty();
        assertThat(r.body().path("rows").asInt()).isEqualTo(588);
        assertThat(r.body().path("emptyRows").asInt()).isEqualTo(12);
        assertThat(r.body().path("encoding").asText()).isEqualTo("UTF-8");
        assertThat(r.body().path("counts").path("ok").asInt()).isEqualTo(526);
        assertThat(r.body().path("counts").path("invalid").asInt()).isEqualTo(48);
        assertThat(r.body().path("counts").path("duplicate").asInt()).isEqualTo(14);

        JsonNode credit = result(r, f.badCredit.get(0));
        assertThat(credit.path("status").asText()).isEqualTo("INVALID");
        assertThat(credit.path("violations").get(0).path("column").asText()).isEqualTo("creditCode");
        assertThat(credit.path("violations").get(0).path("columnZh").asText()).isEqualTo("统一社会信用代码");
        assertThat(credit.path("violations").get(0).path("rule").asText()).isEqualTo("creditCode");
        assertThat(result(r, f.badPhone.get(0)).path("violations").get(0).path("column").asText()).isEqualTo("phone");
        assertThat(result(r, f.badPhone.get(0)).path("violations").get(0).path("rule").asText()).isEqualTo("phone");
        assertThat(result(r, f.formula.get(0)).path("violations").get(0).path("rule").asText()).isEqualTo("formula");
        assertThat(result(r, f.noContact.get(0)).path("violations").get(0).path("column").asText()).isEqualTo("contact");
        assertThat(result(r, f.escaped.get(0)).path("status").asText()).isEqualTo("OK");

        JsonNode inFile = result(r, f.inFile.get(1));
        assertThat(inFile.path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(inFile.path("duplicate").path("existingRow").asInt()).isEqualTo(f.inFile.get(1) - 3);
        assertThat(inFile.path("duplicate").path("field").asText()).isEqualTo("companyName");

        JsonNode mine = result(r, f.existingInScopeRow).path("duplicate");
        assertThat(mine.path("existingCode").asText()).isEqualTo(inScope.code());
        assertThat(mine.path("existingOwnerId").asText()).isEqualTo("east.sales1");
        JsonNode theirs = result(r, f.existingOutOfScopeRow).path("duplicate");
        assertThat(theirs.path("field").asText()).isEqualTo("creditCode");
        assertThat(theirs.path("existingCode").asText()).isEqualTo(outOfScope.code());
        assertThat(theirs.path("existingOwnerName").asText()).isEqualTo("Name of south.sales1");
        // out of scope: the code and the owner, nothing of the record itself
        assertThat(r.body().toString()).doesNotContain(outOfScope.companyName()).doesNotContain(CrmFixture.SECRET_NOTES);
    }

    @Test
    void gbkCsvAndXlsxWithFormulaCellsGiveTheSameVerdicts() {
        PlantedFile f = planted();
        Reply gbk = post(EAST_SALES_1, body("客户-gbk.csv", f.csv(Charset.forName("GBK")), true, null));
        Reply xlsx = post(EAST_SALES_1, body("客户.xlsx", f.xlsx(), true, null));
        for (Reply r : List.of(gbk, xlsx)) {
            assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
            assertThat(r.body().path("counts").path("ok").asInt()).isEqualTo(526);
            assertThat(r.body().path("counts").path("invalid").asInt()).isEqualTo(48);
            assertThat(r.body().path("counts").path("duplicate").asInt()).isEqualTo(14);
            assertThat(r.body().path("emptyRows").asInt()).isEqualTo(12);
            assertThat(result(r, f.formula.get(2)).path("violations").get(0).path("rule").asText()).isEqualTo("formula");
        }
        assertThat(gbk.body().path("encoding").asText()).isEqualTo("GBK");
        assertThat(xlsx.body().path("format").asText()).isEqualTo("xlsx");
    }

    @Test
    void anUnknownColumnIsNamedNotIgnored() {
        byte[] file = "公司名称,传真,电话\r\n某某有限公司,021-1234,13900000000\r\n".getBytes(StandardCharsets.UTF_8);
        Reply r = post(EAST_SALES_1, body("x.csv", file, true, null));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.firstViolationField()).isEqualTo("file");
        assertThat(r.firstViolationRule()).isEqualTo("unknownColumn");
        assertThat(r.body().path("error").path("violations").get(0).path("message").asText()).contains("传真").contains("column B");
    }

    @Test
    void commitCreatesEachOkRowOnceWithImportedHistoryCountsAndAResultFile() {
        PlantedFile f = planted(COMMIT_ROWS);
        Reply r = post(EAST_MANAGER, body("客户.csv", f.csv(StandardCharsets.UTF_8), false, "east.sales2"));
        assertThat(r.status()).as(r.body().toString()).isIn(201, 202);
        String id = r.text("importId");
        JsonNode done = r.body();
        for (int i = 0; i < 20 && !"COMPLETED".equals(done.path("status").asText()); i++) {
            done = Reply.of(handler, Events.load("customer-imports/continue-import.json").as(EAST_MANAGER).id(id)).body();
        }
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("counts").path("created").asInt()).isEqualTo(174);
        assertThat(done.path("counts").path("refused").asInt()).isEqualTo(16);
        assertThat(done.path("counts").path("duplicate").asInt()).isEqualTo(6);

        // owned by the default owner, history IMPORTED naming the import
        List<Customer> imported = imported(EAST_SALES_2, f);
        assertThat(imported).hasSize(174).allSatisfy(c -> assertThat(c.ownerId()).isEqualTo("east.sales2"));
        var history = customers.history(EAST_MANAGER, imported.get(0).customerId(), null, 10).items();
        assertThat(history).singleElement().satisfies(h -> {
            assertThat(h.action()).isEqualTo("IMPORTED");
            assertThat(h.note()).contains(id);
        });
        assertThat(imported.stream().filter(c -> "=SUM(A1:A3) 不是公式".equals(c.notes()))).hasSize(4);

        // the result file: the input with each row's result in zh-CN
        ApiResponse file = handler.handle(Events.load("customer-imports/import-result.json").as(EAST_MANAGER).id(id)
                .clearQuery().query("format", "csv").json());
        assertThat(file.status()).isEqualTo(200);
        List<SheetReader.Row> rows = SheetReader.read(file.body().getBytes(StandardCharsets.UTF_8)).rows();
        assertThat(rows.get(0).cells().stream().map(SheetReader.Cell::text)).contains("行号", "公司名称", "导入结果", "客户编号", "说明");
        assertThat(rows).hasSize(1 + 196);
        assertThat(rows.stream().filter(row -> row.cells().get(10).text().equals("已导入"))).hasSize(174);
        SheetReader.Row outOfScopeRow = rows.stream().filter(row -> row.cells().get(0).text().equals(String.valueOf(f.existingOutOfScopeRow)))
                .findFirst().orElseThrow();
        assertThat(outOfScopeRow.cells().get(12).text()).contains(outOfScope.code()).contains("统一社会信用代码");

        // another salesperson cannot read the import; committing the same file again creates nothing
        assertThat(Reply.of(handler, Events.load("customer-imports/get-import.json").as(SOUTH_SALES_1).id(id)).status()).isEqualTo(404);
        Reply again = post(EAST_MANAGER, body("客户.csv", f.csv(StandardCharsets.UTF_8), false, "east.sales2"));
        JsonNode second = again.body();
        for (int i = 0; i < 20 && !"COMPLETED".equals(second.path("status").asText()); i++) {
            second = Reply.of(handler, Events.load("customer-imports/continue-import.json").as(EAST_MANAGER).id(again.text("importId"))).body();
        }
        assertThat(second.path("counts").path("created").asInt()).isZero();
        assertThat(second.path("counts").path("duplicate").asInt()).isEqualTo(174 + 6);
        assertThat(imported(EAST_SALES_2, f)).hasSize(174);
    }

    @Test
    void aCrashMidCommitAndARetryCreateNoDuplicate() {
        CrashingDynamo crashing = new CrashingDynamo(LocalTable.client());
        ImportService service = new ImportService(new Table(crashing, table.name()));
        PlantedFile f = planted(CRASH_ROWS);
        CustomerImport i = service.open(EAST_SALES_1, "客户.csv", f.csv(StandardCharsets.UTF_8), Optional.empty());
        service.runBatch(i.importId(), 0);
        crashing.afterNextTransaction();   // batch 1's first customer is written, then the process dies
        assertThatThrownBy(() -> service.run(i.importId(), Duration.ofMinutes(5))).isInstanceOf(CrashingDynamo.Killed.class);
        assertThat(crashing.fired()).isTrue();
        crashing.beforeNextTransaction();  // the retry dies too, before its next write
        assertThatThrownBy(() -> service.run(i.importId(), Duration.ofMinutes(5))).isInstanceOf(CrashingDynamo.Killed.class);
        CustomerImport done = service.run(i.importId(), Duration.ofMinutes(5));
        assertThat(done.status()).isEqualTo(CustomerImport.ImportStatus.COMPLETED);
        assertThat(done.created()).isEqualTo(f.ok);
        assertThat(done.refused()).isEqualTo(f.invalid);
        assertThat(done.duplicate()).isEqualTo(f.duplicate);
        assertThat(imported(EAST_SALES_1, f)).hasSize(f.ok);
        // a redrive of a batch already done changes nothing
        service.runBatch(i.importId(), 1);
        assertThat(imported(EAST_SALES_1, f)).hasSize(f.ok);
    }

    @Test
    void aSalespersonCannotImportIntoSomeoneElsesName() {
        byte[] file = ("公司名称,联系人,电话,负责人账号\r\n"
                + "冒名导入甲有限公司,张三,13700001001,east.sales2\r\n"
                + "本人导入乙有限公司,李四,13700001002,east.sales1\r\n").getBytes(StandardCharsets.UTF_8);
        Reply asDefault = post(EAST_SALES_1, body("x.csv", file, true, "east.sales2"));
        assertThat(asDefault.status()).isEqualTo(403);
        Reply preview = post(EAST_SALES_1, body("x.csv", file, true, null));
        assertThat(result(preview, 2).path("status").asText()).isEqualTo("INVALID");
        assertThat(result(preview, 2).path("violations").get(0).path("column").asText()).isEqualTo("ownerId");
        assertThat(result(preview, 2).path("violations").get(0).path("rule").asText()).isEqualTo("forbidden");
        assertThat(result(preview, 3).path("status").asText()).isEqualTo("OK");
        Reply commit = post(EAST_SALES_1, body("x.csv", file, false, null));
        assertThat(commit.status()).isEqualTo(201);
        assertThat(commit.body().path("counts").path("created").asInt()).isEqualTo(1);
        assertThat(commit.body().path("counts").path("refused").asInt()).isEqualTo(1);
        assertThat(table.holder(new com.rackflow.core.persistence.Guard("CUSTOMER_PHONE", "13700001001"))).isEmpty();
        // a manager may not give rows to another department's salesperson
        Reply manager = post(EAST_MANAGER, body("x.csv", ("公司名称,联系人,电话,负责人账号\r\n跨区导入丙有限公司,王五,13700001003,south.sales1\r\n")
                .getBytes(StandardCharsets.UTF_8), true, null));
        assertThat(result(manager, 2).path("violations").get(0).path("rule").asText()).isEqualTo("assignable");
        // maintenance may not import at all
        assertThat(post(MAINTENANCE, body("x.csv", file, true, null)).status()).isEqualTo(403);
    }

    /** The customers of {@code owner} whose names are this file's. */
    static List<Customer> imported(Caller owner, PlantedFile f) {
        List<Customer> out = new ArrayList<>();
        String cursor = null;
        do {
            var page = customers.list(owner, new CustomerStore.ListFilter(null, null, null, false), cursor, 100);
            out.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        java.util.Set<String> names = new java.util.HashSet<>();
        f.rows.forEach(r -> names.add(r[0]));
        return out.stream().filter(c -> names.contains(c.companyName()) && !c.customerId().equals(inScope.customerId())).toList();
    }

}
