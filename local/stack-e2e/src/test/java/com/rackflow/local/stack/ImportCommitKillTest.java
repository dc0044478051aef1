package com.rackflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.rackflow.local.stack.ApiClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of the whole local stack (functions, Step Functions, DynamoDB and its front, S3) in the middle of an import's
 * commit — the Map has committed some batches, others run — then a restart on the same data: the state machine resumes
 * the execution, the batches that were cut off run again and find their rows done, and the import COMPLETES with exact
 * counts and not one customer twice.
 */
class ImportCommitKillTest {
    /** Three batches: the Map runs two at a time, so the kill cuts two running batches and one not started. */
    private static final int ROWS = 300;

    @TempDir
    Path root;

    @Test
    void aCommitCutByAKillNineResumesAfterTheRestartWithExactCountsAndNoDuplicate() throws Exception {
        ImportFiles.File f = ImportFiles.csv(ROWS, (int) (System.nanoTime() % 900) + 50, null);
        StackProcess.killAndRestart(root, (first, restart) -> {
            ApiClient api = first.client();
            String id = ImportFiles.upload(api, "li.lei", "客户.csv", f.bytes());
            expect(api.call("POST", "/customer-imports/" + id + "/preview", "li.lei", null), 202);
            JsonNode previewed = ImportFiles.await(api, "li.lei", id, Duration.ofMinutes(3), "PREVIEWED", "FAILED");
            assertThat(previewed.path("preview").path("ok").asInt()).isEqualTo(f.ok());
            expect(api.call("POST", "/customer-imports/" + id + "/commit", "li.lei", null), 202);

            // wait until customers are being created (at least one batch counted or rows in a running batch), then kill
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            int createdAtKill = 0;
            while (System.nanoTime() < deadline) {
                createdAtKill = ImportFiles.customersNamed(api, "li.lei", f.namePrefix()).size();
                if (createdAtKill >= 30) {
                    break;
                }
                Thread.sleep(200);
            }
            first.killNine();
            assertThat(createdAtKill).as("the kill came in the middle of the commit").isBetween(1, f.ok() - 1);
            System.out.printf("kill -9 with %d of %d customers created%n", createdAtKill, f.ok());

            ApiClient again = restart.secondStack();
            JsonNode done = ImportFiles.await(again, "li.lei", id, Duration.ofMinutes(10), "COMPLETED", "FAILED");
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
            assertThat(done.path("counts").path("created").asInt()).isEqualTo(f.ok());
            assertThat(done.path("counts").path("refused").asInt()).isEqualTo(f.invalid());
            assertThat(done.path("counts").path("duplicate").asInt()).isEqualTo(f.duplicate());
            assertThat(done.path("batchesDone").asInt()).isEqualTo((ROWS + 99) / 100);
            Map<String, Integer> names = ImportFiles.customersNamed(again, "li.lei", f.namePrefix());
            assertThat(names).as("one customer per OK row").hasSize(f.ok());
            assertThat(names.entrySet().stream().filter(e -> e.getValue() > 1).toList()).as("no customer twice").isEmpty();
        });
    }
}
