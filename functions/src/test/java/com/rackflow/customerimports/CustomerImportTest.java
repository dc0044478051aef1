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
    /** The planted dry run's file (the issue's 2,000 rows); the encodings' comparison uses a smaller one. */
    static final int ROWS = 2_000;
    /** Commits create customers one transaction each: a smaller file keeps the suite fast (4 blocks of 50). */
    static final int COMMIT_ROWS = 200;
    /** Two batches (117 data rows), the least a crash between batches needs. */
    static final int CRASH_ROWS = 120;
    static final AtomicInteger TAG = new AtomicInteger(1000);
    static Table table;
    static ImportDriver driver;
    static CustomerService customers;
    static Customer inScope;
    static Customer outOfScope;

    @org.junit.jupiter.api.AfterAll
    static void tearDown() {
        driver.close();
    }

    @BeforeAll
    static void setUp() {
        table = LocalTable.create();
        Staff.seed(table);
        driver = new ImportDriver(table);
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

    static long items() {
        return LocalTable.client().scan(ScanRequest.builder().tableName(table.name()).select("COUNT").build()).count();
    }

    /** The items of the table but the import's own and the requests' idempotency records. */
    static long itemsOutside(String importId) {
        return LocalTable.client().scanPaginator(ScanRequest.builder().tableName(table.name()).build()).items().stream()
                .map(i -> i.get("pk").s())
                .filter(pk -> !pk.equals("CUSTOMER_IMPORT#" + importId) && !pk.startsWith("IDEMPOTENCY#")).count();
    }

    static long importItems(String id) {
        return table.queryAll(com.rackflow.core.persistence.KeyQuery.on(null, "CUSTOMER_IMPORT#" + id, "")).size();
    }

    static JsonNode result(JsonNode preview, int row) {
        for (JsonNode r : preview.path("results").path("items")) {
            if (r.path("row").asInt() == row) {
                return r;
            }
        }
        throw new AssertionError("no result for row " + row);
    }

    @Test
    void dryRunOfAPlantedFileCountsEveryProblemExactlyAndWritesNothing() {
        PlantedFile f = planted();
        String id = driver.upload(EAST_SALES_1, "客户.csv", f.csv(StandardCharsets.UTF_8), null);
        long before = itemsOutside(id);
        Reply started = driver.requestPreview(EAST_SALES_1, id);
        assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
        assertThat(started.text("status")).isEqualTo("PREVIEWING");
        assertThat(driver.started).last().satisfies(s -> {
            assertThat(s.path("input").path("importId").asText()).isEqualTo(id);
            assertThat(s.path("input").path("mode").asText()).isEqualTo("PREVIEW");
        });
        driver.runPreview(id);
        JsonNode r = driver.getAll(EAST_SALES_1, id);
        assertThat(r.path("status").asText()).isEqualTo("PREVIEWED");
        assertThat(itemsOutside(id)).as("the dry run wrote nothing outside the import's own items").isEqualTo(before);
        // 2,000 rows: 40 blocks of 50 with 4 invalid, 1 in-file duplicate and 1 empty row each, 2 existing duplicates
        assertThat(f.invalid).isEqualTo(160);
        assertThat(f.duplicate).isEqualTo(42);
        assertThat(f.empty).isEqualTo(40);
        assertThat(f.ok).isEqualTo(1_758);
        java.util.Map<Integer, String> verdicts = new java.util.TreeMap<>();
        r.path("results").path("items").forEach(x -> verdicts.put(x.path("row").asInt(), x.path("status").asText()));
        assertThat(verdicts.keySet()).isEqualTo(f.expected.keySet());
        assertThat(verdicts.entrySet().stream().filter(e -> !e.getValue().equals(f.expected.get(e.getKey()))).toList())
                .as("rows whose verdict is not the planted one").isEmpty();
        assertThat(r.path("rows").asInt()).isEqualTo(1_960);
        assertThat(r.path("emptyRows").asInt()).isEqualTo(40);
        assertThat(r.path("encoding").asText()).isEqualTo("UTF-8");
        assertThat(r.path("preview").path("ok").asInt()).isEqualTo(1_758);
        assertThat(r.path("preview").path("invalid").asInt()).isEqualTo(160);
        assertThat(r.path("preview").path("duplicate").asInt()).isEqualTo(42);
        // one page per batch of 100 rows
        assertThat(driver.get(EAST_SALES_1, id, null).body().path("results").path("items")).hasSize(100);

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
        assertThat(r.toString()).doesNotContain(outOfScope.companyName()).doesNotContain(CrmFixture.SECRET_NOTES);
    }

    @Test
    void aDryRunOfASmallerFileUploadedAgainShowsOnlyItsOwnRowsAndCounts() throws Exception {
        PlantedFile big = planted(250);
        byte[] first = big.csv(StandardCharsets.UTF_8);
        Reply opened = driver.open(EAST_SALES_1, "客户.csv", first.length, null);
        String id = opened.text("importId");
        JsonNode upload = opened.body().path("upload");
        assertThat(ImportDriver.put(upload, first).statusCode()).isEqualTo(200);
        assertThat(driver.requestPreview(EAST_SALES_1, id).status()).isEqualTo(202);
        String firstRun = driver.execution(id);
        driver.runPreview(id);
        JsonNode before = driver.getAll(EAST_SALES_1, id);
        int bigRows = before.path("rows").asInt();
        assertThat(bigRows).isGreaterThan(200);
        assertThat(before.path("results").path("items")).hasSize(bigRows);
        // a page per batch of 100 rows; the last page (the third) has no cursor
        assertThat(verdictPageSizes(id)).containsExactly(100, 100, bigRows - 200);

        // the same upload URL (same size, as S3 signed it): six rows, the rest of the bytes blank lines
        StringBuilder csv = new StringBuilder("公司名称,联系人,电话\r\n");
        int tag = TAG.incrementAndGet();
        for (int i = 0; i < 6; i++) {
            csv.append("重新预检").append(tag).append('第').append(i).append("有限公司,张三,")
                    .append(String.format("139%04d%04d", tag % 10_000, i)).append("\r\n");
        }
        byte[] small = csv.toString().getBytes(StandardCharsets.UTF_8);
        byte[] padded = java.util.Arrays.copyOf(small, first.length);
        for (int i = small.length; i < padded.length; i++) {
            padded[i] = (byte) ((i - small.length) % 2 == 0 ? '\r' : '\n');
        }
        if ((padded.length - small.length) % 2 == 1) {
            padded[padded.length - 1] = ' ';
        }
        assertThat(ImportDriver.put(upload, padded).statusCode()).isEqualTo(200);
        Reply again = driver.requestPreview(EAST_SALES_1, id);
        assertThat(again.status()).isEqualTo(202);
        // while the new run goes: nothing of the earlier one (no counts, no verdicts)
        JsonNode running = driver.get(EAST_SALES_1, id, null).body();
        assertThat(running.path("status").asText()).isEqualTo("PREVIEWING");
        assertThat(running.path("preview").isNull()).isTrue();
        assertThat(running.has("results")).isFalse();
        // a late step of the earlier run's execution changes nothing
        assertThat(driver.task("read", id, null, firstRun).path("readable").asBoolean()).isFalse();
        assertThat(driver.task("preview", id, null, firstRun).path("status").asText()).isEqualTo("PREVIEWING");
        driver.runPreview(id);

        JsonNode after = driver.getAll(EAST_SALES_1, id);
        assertThat(after.path("status").asText()).isEqualTo("PREVIEWED");
        assertThat(after.path("rows").asInt()).isEqualTo(6);
        assertThat(after.path("batches").asInt()).isEqualTo(1);
        assertThat(after.path("preview").path("ok").asInt()).isEqualTo(6);
        assertThat(after.path("preview").path("invalid").asInt()).isZero();
        assertThat(after.path("preview").path("duplicate").asInt()).isZero();
        List<Integer> shown = new ArrayList<>();
        after.path("results").path("items").forEach(r -> shown.add(r.path("row").asInt()));
        assertThat(shown).containsExactly(2, 3, 4, 5, 6, 7);
        // one page: a 6-row file's verdicts end without a cursor (the console shows no 加载更多)
        assertThat(driver.get(EAST_SALES_1, id, null).body().path("results").path("nextCursor").isNull()).isTrue();
        assertThat(verdictPageSizes(id)).containsExactly(6);
        // the earlier file's rows and verdicts are gone from the table, not only unread
        List<String> kept = table.queryAll(com.rackflow.core.persistence.KeyQuery.on(null, "CUSTOMER_IMPORT#" + id, ""))
                .stream().map(i -> i.get("sk").s()).filter(sk -> sk.startsWith("BATCH#") || sk.startsWith("PREVIEW#")).toList();
        assertThat(kept).containsExactlyInAnyOrder("BATCH#0002#0000", "PREVIEW#0002#0000");

        // the commit commits the current run's rows only
        assertThat(driver.requestCommit(EAST_SALES_1, id).status()).isEqualTo(202);
        driver.runCommit(id);
        JsonNode done = driver.get(EAST_SALES_1, id, null).body();
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("counts").path("created").asInt()).isEqualTo(6);
        assertThat(done.path("counts").path("refused").asInt()).isZero();
        assertThat(done.path("counts").path("duplicate").asInt()).isZero();
        assertThat(imported(EAST_SALES_1, big)).isEmpty();
    }

    /** The number of verdicts on each page of GET /customer-imports/{id}, following the cursors. */
    static List<Integer> verdictPageSizes(String id) {
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode results = driver.get(EAST_SALES_1, id, cursor).body().path("results");
            sizes.add(results.path("items").size());
            cursor = results.path("nextCursor").asText(null);
        } while (cursor != null && sizes.size() < 10);
        return sizes;
    }

    @Test
    void gbkCsvAndXlsxWithFormulaCellsGiveTheSameVerdicts() {
        PlantedFile f = planted(600);
        JsonNode gbk = driver.preview(EAST_SALES_1, "客户-gbk.csv", f.csv(Charset.forName("GBK")), null);
        JsonNode xlsx = driver.preview(EAST_SALES_1, "客户.xlsx", f.xlsx(), null);
        for (JsonNode r : List.of(gbk, xlsx)) {
            assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("PREVIEWED");
            assertThat(r.path("preview").path("ok").asInt()).isEqualTo(526);
            assertThat(r.path("preview").path("invalid").asInt()).isEqualTo(48);
            assertThat(r.path("preview").path("duplicate").asInt()).isEqualTo(14);
            assertThat(r.path("emptyRows").asInt()).isEqualTo(12);
            assertThat(result(r, f.formula.get(2)).path("violations").get(0).path("rule").asText()).isEqualTo("formula");
        }
        assertThat(gbk.path("encoding").asText()).isEqualTo("GBK");
        assertThat(xlsx.path("format").asText()).isEqualTo("xlsx");
    }

    @Test
    void anUnknownColumnIsNamedNotIgnored() {
        byte[] file = "公司名称,传真,电话\r\n某某有限公司,021-1234,13900000000\r\n".getBytes(StandardCharsets.UTF_8);
        JsonNode r = driver.preview(EAST_SALES_1, "x.csv", file, null);
        assertThat(r.path("status").asText()).isEqualTo("FAILED");
        assertThat(r.path("problem").path("violations").get(0).path("field").asText()).isEqualTo("file");
        assertThat(r.path("problem").path("violations").get(0).path("rule").asText()).isEqualTo("unknownColumn");
        assertThat(r.path("problem").path("violations").get(0).path("message").asText()).contains("传真").contains("column B");
    }

    @Test
    void theUploadIsPresignedForTheDeclaredFileOnly() throws Exception {
        Reply tooBig = driver.open(EAST_SALES_1, "x.csv", ImportService.MAX_BYTES + 1, null);
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.firstViolationField()).isEqualTo("size");
        assertThat(tooBig.firstViolationRule()).isEqualTo("range");
        Reply pdf = driver.open(EAST_SALES_1, "x.pdf", 10, null);
        assertThat(pdf.status()).isEqualTo(400);
        assertThat(pdf.firstViolationField()).isEqualTo("fileName");
        assertThat(pdf.firstViolationRule()).isEqualTo("extension");
        assertThat(driver.open(MAINTENANCE, "x.csv", 10, null).status()).isEqualTo(403);

        byte[] file = "公司名称,联系人,电话\r\n上传测试有限公司,张三,13700002001\r\n".getBytes(StandardCharsets.UTF_8);
        Reply opened = driver.open(EAST_SALES_1, "客户.csv", file.length, null);
        assertThat(opened.status()).isEqualTo(201);
        assertThat(opened.text("status")).isEqualTo("AWAITING_UPLOAD");
        JsonNode upload = opened.body().path("upload");
        assertThat(upload.path("method").asText()).isEqualTo("PUT");
        assertThat(upload.path("headers").path("content-type").asText()).isEqualTo("text/csv");
        assertThat(upload.path("headers").path("content-length").asText()).isEqualTo(String.valueOf(file.length));
        String id = opened.text("importId");
        // nothing uploaded yet: the dry run cannot start; a commit before the dry run neither
        Reply early = driver.requestPreview(EAST_SALES_1, id);
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.errorCode()).isEqualTo("IMPORT_FILE_MISSING");
        assertThat(driver.requestCommit(EAST_SALES_1, id).errorCode()).isEqualTo("IMPORT_STATUS");
        // S3 refuses a file of another length than the one signed (a bigger file cannot pass the 10 MB declared)
        byte[] longer = java.util.Arrays.copyOf(file, file.length + 1);
        assertThat(ImportDriver.put(upload, longer).statusCode()).isEqualTo(403);
        assertThat(ImportDriver.put(upload, file).statusCode()).isEqualTo(200);
        // only the importer runs it; another salesperson does not see it
        assertThat(driver.requestPreview(EAST_MANAGER, id).status()).isEqualTo(403);
        assertThat(driver.requestPreview(SOUTH_SALES_1, id).status()).isEqualTo(404);
        assertThat(driver.requestPreview(EAST_SALES_1, id).status()).isEqualTo(202);
        driver.runPreview(id);
        assertThat(driver.get(EAST_SALES_1, id, null).body().path("preview").path("ok").asInt()).isEqualTo(1);
    }

    @Test
    void commitCreatesEachOkRowOnceWithImportedHistoryCountsAndAResultFile() {
        PlantedFile f = planted(COMMIT_ROWS);
        JsonNode previewed = driver.preview(EAST_MANAGER, "客户.csv", f.csv(StandardCharsets.UTF_8), "east.sales2");
        String id = previewed.path("importId").asText();
        Reply started = driver.requestCommit(EAST_MANAGER, id);
        assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
        assertThat(started.text("status")).isEqualTo("COMMITTING");
        assertThat(driver.started).last().satisfies(s -> assertThat(s.path("input").path("mode").asText()).isEqualTo("COMMIT"));
        assertThat(driver.requestCommit(EAST_MANAGER, id).errorCode()).as("one commit at a time").isEqualTo("IMPORT_STATUS");
        driver.runCommit(id);
        JsonNode done = driver.get(EAST_MANAGER, id, null).body();
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("batchesDone").asInt()).isEqualTo(2);
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
        ApiResponse file = driver.handler.handle(Events.load("customer-imports/import-result.json").as(EAST_MANAGER).id(id)
                .clearQuery().query("format", "csv").json());
        assertThat(file.status()).isEqualTo(200);
        List<SheetReader.Row> rows = SheetReader.read(file.body().getBytes(StandardCharsets.UTF_8)).rows();
        assertThat(rows.get(0).cells().stream().map(SheetReader.Cell::text)).contains("行号", "公司名称", "导入结果", "客户编号", "说明");
        assertThat(rows).hasSize(1 + 196);
        assertThat(rows.stream().filter(row -> row.cells().get(10).text().equals("已导入"))).hasSize(174);
        SheetReader.Row outOfScopeRow = rows.stream().filter(row -> row.cells().get(0).text().equals(String.valueOf(f.existingOutOfScopeRow)))
                .findFirst().orElseThrow();
        assertThat(outOfScopeRow.cells().get(12).text()).contains(outOfScope.code()).contains("统一社会信用代码");

        // another salesperson cannot read the import; a redrive of the whole commit changes nothing
        assertThat(driver.get(SOUTH_SALES_1, id, null).status()).isEqualTo(404);
        driver.task("commitBatch", id, 0);
        assertThat(imported(EAST_SALES_2, f)).hasSize(174);
        // committing the same file again creates nothing: every row is a duplicate now
        JsonNode again = driver.preview(EAST_MANAGER, "客户.csv", f.csv(StandardCharsets.UTF_8), "east.sales2");
        String second = again.path("importId").asText();
        assertThat(again.path("preview").path("ok").asInt()).isZero();
        assertThat(driver.requestCommit(EAST_MANAGER, second).status()).isEqualTo(202);
        driver.runCommit(second);
        JsonNode secondDone = driver.get(EAST_MANAGER, second, null).body();
        assertThat(secondDone.path("counts").path("created").asInt()).isZero();
        assertThat(secondDone.path("counts").path("duplicate").asInt()).isEqualTo(174 + 6);
        assertThat(imported(EAST_SALES_2, f)).hasSize(174);
    }

    @Test
    void aCrashMidCommitAndARetryCreateNoDuplicate() {
        CrashingDynamo crashing = new CrashingDynamo(LocalTable.client());
        CustomerImportTasksHandler dying = new CustomerImportTasksHandler(new Table(crashing, table.name()), driver.files);
        PlantedFile f = planted(CRASH_ROWS);
        JsonNode previewed = driver.preview(EAST_SALES_1, "客户.csv", f.csv(StandardCharsets.UTF_8), null);
        String id = previewed.path("importId").asText();
        assertThat(driver.requestCommit(EAST_SALES_1, id).status()).isEqualTo(202);
        driver.task("commitBatch", id, 0);
        crashing.afterNextTransaction();   // batch 1's first customer is written, then the process dies
        assertThatThrownBy(() -> dying.handle(Json.object().put("action", "commitBatch").put("flowId", id).put("batch", 1)))
                .hasCauseInstanceOf(CrashingDynamo.Killed.class);
        assertThat(crashing.fired()).isTrue();
        // the flow's finish before every row has a result is refused (retried by the state machine), not completed short
        assertThatThrownBy(() -> driver.task("finish", id, null)).isInstanceOf(com.rackflow.workitems.RetryableStepException.class);
        crashing.beforeNextTransaction();  // the retry dies too, before its next write
        assertThatThrownBy(() -> dying.handle(Json.object().put("action", "commitBatch").put("flowId", id).put("batch", 1)))
                .hasCauseInstanceOf(CrashingDynamo.Killed.class);
        driver.runCommit(id);              // the redrive: every batch again, then finish
        JsonNode done = driver.get(EAST_SALES_1, id, null).body();
        assertThat(done.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(done.path("counts").path("created").asInt()).isEqualTo(f.ok);
        assertThat(done.path("counts").path("refused").asInt()).isEqualTo(f.invalid);
        assertThat(done.path("counts").path("duplicate").asInt()).isEqualTo(f.duplicate);
        assertThat(imported(EAST_SALES_1, f)).hasSize(f.ok);
        driver.task("commitBatch", id, 1);
        assertThat(imported(EAST_SALES_1, f)).hasSize(f.ok);
    }

    @Test
    void aStepFailingForGoodLeavesTheImportFailedAndACommitRunsAgain() {
        byte[] file = "公司名称,联系人,电话\r\n失败重试有限公司,张三,13700003001\r\n".getBytes(StandardCharsets.UTF_8);
        String id = driver.preview(EAST_SALES_1, "x.csv", file, null).path("importId").asText();
        assertThat(driver.requestCommit(EAST_SALES_1, id).status()).isEqualTo(202);
        driver.task("compensate", id, null);
        JsonNode failed = driver.get(EAST_SALES_1, id, null).body();
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("problem").path("code").asText()).isEqualTo("IMPORT_STEP_FAILED");
        assertThat(driver.requestCommit(EAST_SALES_1, id).status()).isEqualTo(202);
        assertThat(driver.requestPreview(EAST_SALES_1, id).errorCode()).isEqualTo("IMPORT_STATUS");
        driver.runCommit(id);
        assertThat(driver.get(EAST_SALES_1, id, null).body().path("counts").path("created").asInt()).isEqualTo(1);
    }

    @Test
    void anExecutionThatTimesOutLeavesTheImportFailedThroughTheFlowsEndHandler() {
        byte[] file = "公司名称,联系人,电话\r\n超时导入有限公司,张三,13700004001\r\n".getBytes(StandardCharsets.UTF_8);
        String id = driver.preview(EAST_SALES_1, "x.csv", file, null).path("importId").asText();
        assertThat(driver.requestCommit(EAST_SALES_1, id).status()).isEqualTo(202);
        String arn = "arn:aws:states:us-east-1:123456789012:stateMachine:rackflow-customer-import-test";
        var ends = new com.rackflow.flows.ExecutionEndsHandler(Map.of(arn,
                new com.rackflow.flows.ExecutionEndsHandler.FlowKind(CustomerImportTasksHandler.flow(table, null), "importId")));
        ObjectNode detail = Json.object().put("status", "TIMED_OUT").put("stateMachineArn", arn)
                .put("executionArn", arn.replace(":stateMachine:", ":execution:") + ":" + driver.execution(id)).put("name", driver.execution(id))
                .put("input", Json.write(Json.object().put("importId", id).put("mode", "COMMIT")));
        JsonNode out = ends.handle(Json.object().put("id", "event-1").set("detail", detail));
        assertThat(out.path("outcome").asText()).isEqualTo("RECONCILED");
        JsonNode failed = driver.get(EAST_SALES_1, id, null).body();
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("problem").path("code").asText()).isEqualTo("States.Timeout");
        assertThat(ends.handle(Json.object().put("id", "event-1").set("detail", detail)).path("flowStatus").asText())
                .as("a redelivered event changes nothing").isEqualTo("FAILED");
    }

    @Test
    void aSalespersonCannotImportIntoSomeoneElsesName() {
        byte[] file = ("公司名称,联系人,电话,负责人账号\r\n"
                + "冒名导入甲有限公司,张三,13700001001,east.sales2\r\n"
                + "本人导入乙有限公司,李四,13700001002,east.sales1\r\n").getBytes(StandardCharsets.UTF_8);
        Reply asDefault = driver.open(EAST_SALES_1, "x.csv", file.length, "east.sales2");
        assertThat(asDefault.status()).isEqualTo(403);
        JsonNode preview = driver.preview(EAST_SALES_1, "x.csv", file, null);
        assertThat(result(preview, 2).path("status").asText()).isEqualTo("INVALID");
        assertThat(result(preview, 2).path("violations").get(0).path("column").asText()).isEqualTo("ownerId");
        assertThat(result(preview, 2).path("violations").get(0).path("rule").asText()).isEqualTo("forbidden");
        assertThat(result(preview, 3).path("status").asText()).isEqualTo("OK");
        String id = preview.path("importId").asText();
        driver.requestCommit(EAST_SALES_1, id);
        driver.runCommit(id);
        JsonNode commit = driver.get(EAST_SALES_1, id, null).body();
        assertThat(commit.path("counts").path("created").asInt()).isEqualTo(1);
        assertThat(commit.path("counts").path("refused").asInt()).isEqualTo(1);
        assertThat(table.holder(new com.rackflow.core.persistence.Guard("CUSTOMER_PHONE", "13700001001"))).isEmpty();
        // a manager may not give rows to another department's salesperson
        JsonNode manager = driver.preview(EAST_MANAGER, "x.csv", ("公司名称,联系人,电话,负责人账号\r\n跨区导入丙有限公司,王五,13700001003,south.sales1\r\n")
                .getBytes(StandardCharsets.UTF_8), null);
        assertThat(result(manager, 2).path("violations").get(0).path("rule").asText()).isEqualTo("assignable");
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
