package com.rackflow;

import com.rackflow.testing.LocalTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No request path may scan the table, and no DynamoDB transactions may be used (dynalite, the local DynamoDB, has
 * none): every lookup is a GetItem or a Query on a key or GSI (docs/keys.md).
 */
class NoScanTest {

    @Test
    void functionsNeitherScanNorUseTransactions() throws IOException {
        Path main = LocalTable.repositoryRoot().resolve("functions/src/main/java");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String s = Files.readString(p);
                    return s.contains("ScanRequest") || s.contains(".scan(") || s.contains("scanPaginator")
                            || s.contains("TransactWriteItems") || s.contains("transactWriteItems")
                            || s.contains("TransactGetItems") || s.contains("transactGetItems")
                            || s.contains("ExecuteStatement") || s.contains("executeStatement");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
        }
        assertThat(main).isDirectory();
        assertThat(offenders).isEmpty();
    }
}
