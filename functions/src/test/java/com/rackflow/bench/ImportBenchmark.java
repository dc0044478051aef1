package com.rackflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.rackflow.core.persistence.Table;
import com.rackflow.customerimports.ImportDriver;
import com.rackflow.customerimports.PlantedFile;
import com.rackflow.customers.Customer;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Staff;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.rackflow.testing.Staff.EAST_SALES_1;
import static com.rackflow.testing.Staff.SOUTH_SALES_1;

/**
 * Customer import through the S3 + flow path against dynalite and the local S3 endpoint: a generated file (default
 * 20,000 rows, problems planted as in CustomerImportTest) uploaded with its presigned PUT, its dry run (the flow's read
 * and preview tasks), then its commit as the state machine runs it (read, the Map's commitBatch tasks two at a time,
 * finish), with time and DynamoDB capacity units (ReturnConsumedCapacity as dynalite computes it). The tasks run in this
 * JVM (no Lambda or Step Functions overhead; those are in the local stack). Figures, not assertions.
 * Usage: bench/imports.sh [rows] [commitRows]   (commitRows: a second file committed; default: the same file)
 */
public final class ImportBenchmark {
    private ImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);   // the local S3 and dynalite threads would keep the JVM alive
        }
        System.exit(0);
    }

    static void run(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int commitRows = args.length > 1 ? Integer.parseInt(args[1]) : rows;
        // GET /customer-imports/{id} pages its verdicts with cursors: CURSOR_KEY is an environment variable (bench/imports.sh)
        if (System.getenv("CURSOR_KEY") == null) {
            throw new IllegalStateException("CURSOR_KEY is not set: run bench/imports.sh");
        }
        System.out.printf("load average at the start: %s%n", load());
        Table table = LocalTable.create();
        Staff.seed(table);
        Customer mine = new CrmFixture(table).customer(EAST_SALES_1);
        Customer theirs = new CrmFixture(table).customer(SOUTH_SALES_1);
        try (ImportDriver driver = new ImportDriver(table)) {
            String warm = driver.upload(EAST_SALES_1, "warm.csv",
                    new PlantedFile(200, 7000, mine.companyName(), theirs.creditCode()).csv(StandardCharsets.UTF_8), null);
            driver.requestPreview(EAST_SALES_1, warm);
            driver.runPreview(warm);

            PlantedFile planted = new PlantedFile(rows, 7001, mine.companyName(), theirs.creditCode());
            byte[] file = planted.csv(StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            String id = driver.upload(EAST_SALES_1, "bench.csv", file, null);
            double uploadMs = (System.nanoTime() - t0) / 1e6;
            Table.takeConsumedCapacity();
            t0 = System.nanoTime();
            driver.requestPreview(EAST_SALES_1, id);
            driver.runPreview(id);
            double ms = (System.nanoTime() - t0) / 1e6;
            double units = Table.takeConsumedCapacity();
            JsonNode p = driver.get(EAST_SALES_1, id, null).body();
            System.out.printf("upload (presigned PUT): %,d bytes in %,.0f ms%n", file.length, uploadMs);
            System.out.printf("dry run: %,d rows: %,.0f ms (%.2f ms/row), %.1f capacity units (%.3f/row); verdicts %s; load average %s%n",
                    rows, ms, ms / rows, units, units / rows, p.path("preview"), load());

            if (commitRows != rows) {
                planted = new PlantedFile(commitRows, 7002, mine.companyName(), theirs.creditCode());
                id = driver.upload(EAST_SALES_1, "bench-commit.csv", planted.csv(StandardCharsets.UTF_8), null);
                driver.requestPreview(EAST_SALES_1, id);
                driver.runPreview(id);
            }
            Table.takeConsumedCapacity();
            Table.takeWriteCapacity();
            t0 = System.nanoTime();
            driver.requestCommit(EAST_SALES_1, id);
            ExecutorService map = Executors.newFixedThreadPool(2);   // the Map's MaxConcurrency
            List<Future<double[]>> batches = new ArrayList<>();
            final String importId = id;
            for (JsonNode b : driver.task("read", id, null).path("batches")) {
                batches.add(map.submit(() -> {   // capacity is counted per thread: each batch reports its own
                    Table.takeConsumedCapacity();
                    Table.takeWriteCapacity();
                    driver.task("commitBatch", importId, b.asInt());
                    double[] w = Table.takeWriteCapacity();
                    return new double[]{Table.takeConsumedCapacity(), w[0], w[1]};
                }));
            }
            double[] perBatch = new double[3];
            int done = 0;
            for (Future<double[]> f : batches) {
                double[] u = f.get();
                for (int k = 0; k < 3; k++) {
                    perBatch[k] += u[k];
                }
                if (++done % 20 == 0) {   // a partial run still gives a rate
                    double soFar = (System.nanoTime() - t0) / 1e6;
                    int rowsSoFar = Math.min(commitRows, done * 100);
                    System.out.printf("  commit: %d of %d batches (about %,d rows) in %,.0f ms (%.2f ms/row), %.1f capacity units (%.2f/row); load average %s%n",
                            done, batches.size(), rowsSoFar, soFar, soFar / rowsSoFar, perBatch[0], perBatch[0] / rowsSoFar, load());
                }
            }
            map.shutdown();
            driver.task("finish", id, null);
            ms = (System.nanoTime() - t0) / 1e6;
            units = Table.takeConsumedCapacity() + perBatch[0];
            double[] writes = Table.takeWriteCapacity();
            writes = new double[]{writes[0] + perBatch[1], writes[1] + perBatch[2]};
            System.out.printf("commit: %,d rows in %d batches (2 at a time): %,.0f ms (%.2f ms/row), "
                            + "%.1f capacity units (%.2f/row; writes %.1f table, %.1f with indexes); load average %s%n",
                    commitRows, batches.size(), ms, ms / commitRows, units, units / commitRows, writes[0], writes[1], load());
            JsonNode c = driver.get(EAST_SALES_1, id, null).body();
            if (!c.has("counts")) {
                throw new IllegalStateException("GET /customer-imports/" + id + ": " + c);
            }
            System.out.printf("commit counts: %s%n", c.path("counts"));
        }
    }

    /** The machine's load average (1, 5, 15 minutes): the machine is shared, so figures say under what load. */
    static String load() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
