package com.rackflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static com.rackflow.local.stack.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customer import through the local stack as the console does it: the presigned upload goes to the stack's S3 endpoint
 * (the template's FilesBucket, SigV4 checked), the dry run and the commit run in the template's import state machine on
 * the local Step Functions engine (the commit as a Map over batches), the client polls the import.
 */
@ExtendWith(TestStacks.class)
class CustomerImportEndToEndTest {
    private static final int TAG = (int) (System.nanoTime() % 900) + 50;
    private static LocalStack stack;
    private static ApiClient api;

    @BeforeAll
    static void start(LocalStack shared) {
        stack = shared;
        api = new ApiClient(shared);
    }

    @Test
    void aForgedOrResizedUploadIsRefusedByS3AndTheGenuineOneIsStored() throws Exception {
        ImportFiles.File f = ImportFiles.csv(3, TAG + 1, null);
        JsonNode opened = expect(api.call("POST", "/customer-imports", "li.lei",
                Map.of("fileName", "小文件.csv", "size", f.bytes().length)), 201);
        JsonNode upload = opened.path("upload");
        assertThat(upload.path("url").asText()).startsWith(stack.s3Endpoint().orElseThrow() + "/rackflow-files-dev-123456789012-us-east-1/imports/");
        String url = upload.path("url").asText();
        String sig = url.replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
        HttpResponse<String> forged = ImportFiles.put(URI.create(url.replace(sig, new StringBuilder(sig).reverse())), upload, f.bytes());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        byte[] bigger = java.util.Arrays.copyOf(f.bytes(), f.bytes().length + 10);
        assertThat(ImportFiles.put(upload, bigger).body()).contains("<Code>SignatureDoesNotMatch</Code>");
        HttpResponse<String> genuine = ImportFiles.put(upload, f.bytes());
        assertThat(genuine.statusCode()).isEqualTo(200);
        String id = opened.path("importId").asText();
        expect(api.call("POST", "/customer-imports/" + id + "/preview", "li.lei", null), 202);
        JsonNode done = ImportFiles.await(api, "li.lei", id, Duration.ofMinutes(3), "PREVIEWED", "FAILED");
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("PREVIEWED");
        assertThat(done.path("preview").path("ok").asInt()).isEqualTo(3);
    }

    @Test
    void aTwentyThousandRowFileIsUploadedAndDryRunOffTheRequest() throws Exception {
        ImportFiles.File f = ImportFiles.csv(20_000, TAG, null);
        String id = ImportFiles.upload(api, "li.lei", "两万行.csv", f.bytes());
        long t0 = System.nanoTime();
        JsonNode started = expect(api.call("POST", "/customer-imports/" + id + "/preview", "li.lei", null), 202);
        assertThat(started.path("status").asText()).isEqualTo("PREVIEWING");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the API answers at once").isLessThan(Duration.ofSeconds(29));
        JsonNode done = ImportFiles.await(api, "li.lei", id, Duration.ofMinutes(10), "PREVIEWED", "FAILED");
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("PREVIEWED");
        assertThat(done.path("rows").asInt()).isEqualTo(20_000);
        assertThat(done.path("batches").asInt()).isEqualTo(200);
        assertThat(done.path("preview").path("ok").asInt()).isEqualTo(f.ok());
        assertThat(done.path("preview").path("invalid").asInt()).isEqualTo(f.invalid());
        assertThat(done.path("preview").path("duplicate").asInt()).isEqualTo(f.duplicate());
        // the per-row verdicts a page (100 rows) at a time
        JsonNode first = done.path("results").path("items");
        assertThat(first).hasSize(100);
        assertThat(first.get(7).path("row").asInt()).isEqualTo(9);
        assertThat(first.get(7).path("status").asText()).isEqualTo("INVALID");
        assertThat(first.get(8).path("status").asText()).isEqualTo("DUPLICATE");
        assertThat(first.get(8).path("duplicate").path("existingRow").asInt()).isEqualTo(8);
        JsonNode second = expect(api.call("GET", "/customer-imports/" + id + "?cursor="
                + java.net.URLEncoder.encode(done.path("results").path("nextCursor").asText(), "UTF-8"), "li.lei", null), 200);
        assertThat(second.path("results").path("items").get(0).path("row").asInt()).isEqualTo(102);
        System.out.printf("20,000-row dry run through the local stack: %,d bytes, %.1f s%n", f.bytes().length,
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void theCommitRunsAsAMapOverBatchesAndCreatesEachRowOnce() throws Exception {
        String existing = "导入已有" + TAG + "号云计算有限公司";
        expect(api.call("POST", "/customers", "li.lei", Map.of("companyName", existing, "region", "east", "source", "REFERRAL",
                "contacts", java.util.List.of(Map.of("name", "王工", "phone", String.format("139%03d00000", TAG))))), 201);
        ImportFiles.File f = ImportFiles.csv(250, TAG + 2, existing);
        String id = ImportFiles.upload(api, "li.lei", "客户.csv", f.bytes());
        expect(api.call("POST", "/customer-imports/" + id + "/preview", "li.lei", null), 202);
        JsonNode previewed = ImportFiles.await(api, "li.lei", id, Duration.ofMinutes(3), "PREVIEWED", "FAILED");
        assertThat(previewed.path("preview").path("ok").asInt()).isEqualTo(f.ok());
        expect(api.call("POST", "/customer-imports/" + id + "/commit", "li.lei", null), 202);
        JsonNode done = ImportFiles.await(api, "li.lei", id, Duration.ofMinutes(8), "COMPLETED", "FAILED");
        assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(done.path("batchesDone").asInt()).isEqualTo(3);
        assertThat(done.path("counts").path("created").asInt()).isEqualTo(f.ok());
        assertThat(done.path("counts").path("refused").asInt()).isEqualTo(f.invalid());
        assertThat(done.path("counts").path("duplicate").asInt()).isEqualTo(f.duplicate());
        Map<String, Integer> names = ImportFiles.customersNamed(api, "li.lei", f.namePrefix());
        assertThat(names).hasSize(f.ok());
        assertThat(names.values()).allMatch(n -> n == 1);
        // the execution in the local Step Functions endpoint: the Map ran one iteration per batch
        assertThat(stack.stateMachinesEndpoint()).isPresent();
    }
}
