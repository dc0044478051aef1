package com.rackflow.bench;

import com.rackflow.core.persistence.Table;
import com.rackflow.customerimports.CustomerImport;
import com.rackflow.customerimports.ImportService;
import com.rackflow.customerimports.PlantedFile;
import com.rackflow.customers.Customer;
import com.rackflow.testing.CrmFixture;
import com.rackflow.testing.LocalTable;
import com.rackflow.testing.Staff;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static com.rackflow.testing.Staff.EAST_SALES_1;
import static com.rackflow.testing.Staff.SOUTH_SALES_1;

/**
 * Customer import against dynalite: a dry run of a generated file (default 20,000 rows, problems planted as in
 * CustomerImportTest) and the commit of a second file (default 2,000 rows), with time and DynamoDB capacity units
 * (ReturnConsumedCapacity as dynalite computes it). Figures, not assertions. Usage: bench/imports.sh [previewRows] [commitRows]
 */
public final class ImportBenchmark {
    private ImportBenchmark() {
    }

    public static void main(String[] args) {
        int previewRows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int commitRows = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Table table = LocalTable.create();
        Staff.seed(table);
        Customer mine = new CrmFixture(table).customer(EAST_SALES_1);
        Customer theirs = new CrmFixture(table).customer(SOUTH_SALES_1);
        ImportService imports = new ImportService(table);

        PlantedFile preview = new PlantedFile(previewRows, 7001, mine.companyName(), theirs.creditCode());
        byte[] file = preview.csv(StandardCharsets.UTF_8);
        imports.preview(EAST_SALES_1, new PlantedFile(200, 7000, mine.companyName(), theirs.creditCode())
                .csv(StandardCharsets.UTF_8), Optional.empty()); // warm-up
        Table.takeConsumedCapacity();
        long t0 = System.nanoTime();
        var p = imports.preview(EAST_SALES_1, file, Optional.empty());
        double ms = (System.nanoTime() - t0) / 1e6;
        double units = Table.takeConsumedCapacity();
        System.out.printf("dry run: %,d rows (%,d bytes CSV): %,.0f ms (%.2f ms/row), %.1f capacity units (%.3f/row); verdicts %s%n",
                previewRows, file.length, ms, ms / previewRows, units, units / previewRows, p.counts());

        PlantedFile commit = new PlantedFile(commitRows, 7002, mine.companyName(), theirs.creditCode());
        Table.takeConsumedCapacity();
        Table.takeWriteCapacity();
        t0 = System.nanoTime();
        CustomerImport i = imports.open(EAST_SALES_1, "bench.csv", commit.csv(StandardCharsets.UTF_8), Optional.empty());
        i = imports.run(i.importId(), Duration.ofHours(1));
        ms = (System.nanoTime() - t0) / 1e6;
        units = Table.takeConsumedCapacity();
        double[] writes = Table.takeWriteCapacity();
        System.out.printf("commit: %,d rows -> created %d, refused %d, duplicate %d: %,.0f ms (%.2f ms/row), "
                        + "%.1f capacity units (%.2f/row; writes %.1f table, %.1f with indexes)%n",
                commitRows, i.created(), i.refused(), i.duplicate(), ms, ms / commitRows, units, units / commitRows,
                writes[0], writes[1]);
        System.exit(0);
    }
}
