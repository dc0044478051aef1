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
    /** Scan, transactions (TransactWrite/TransactGet) and PartiQL statements, in the SDK's class and method names. */
    private static final java.util.regex.Pattern FORBIDDEN = java.util.regex.Pattern.compile(
            "ScanRequest|\\.scan\\(|scanPaginator|(?i:transact(Write|Get)Items)|(?i:executeStatement)");

    @Test
    void functionsNeitherScanNorUseTransactions() throws IOException {
        Path main = LocalTable.repositoryRoot().resolve("functions/src/main/java");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return FORBIDDEN.matcher(Files.readString(p)).find();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(Path::toString).toList();
        }
        assertThat(main).isDirectory();
        assertThat(offenders).isEmpty();
    }
}
