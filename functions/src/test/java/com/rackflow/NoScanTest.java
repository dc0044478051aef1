package com.rackflow;

import com.rackflow.testing.LocalTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Source guards: no request path scans the table (every lookup is a GetItem or a Query on a key or GSI, docs/keys.md),
 * and no history entry is written outside the unit of work (core.persistence.UnitOfWork writes each record change's
 * entry in the change's own transaction; a separate history write is what a crash could lose).
 */
class NoScanTest {
    private static final Path MAIN = LocalTable.repositoryRoot().resolve("functions/src/main/java");

    /** Scan and PartiQL statements, in the SDK's class and method names. */
    private static final Pattern SCAN = Pattern.compile("ScanRequest|\\.scan\\(|scanPaginator|(?i:executeStatement)");

    /** Writing a history entry by hand: the old separate write, building its item or its sort key. */
    private static final Pattern HISTORY_WRITE = Pattern.compile(
            "\\bhistory\\.record\\(|History\\.item\\(|historySortKey\\(|new HistoryEntry\\(");

    /** Sending a transaction: only the unit of work (and the table it sends through). */
    private static final Pattern TRANSACTION = Pattern.compile("(?i:transactWriteItems)\\(|TransactWriteItemsRequest\\.builder");

    /** Where these may appear: the unit of work and the history's own item builder. */
    private static final Set<String> CORE = Set.of("core/persistence/UnitOfWork.java", "core/persistence/Table.java",
            "core/history/History.java", "core/persistence/Keys.java");

    @Test
    void functionsNeverScan() throws IOException {
        assertThat(offenders(SCAN, Set.of())).isEmpty();
    }

    @Test
    void historyEntriesAreWrittenOnlyByTheUnitOfWork() throws IOException {
        assertThat(offenders(HISTORY_WRITE, CORE)).isEmpty();
    }

    @Test
    void transactionsAreSentOnlyByTheUnitOfWork() throws IOException {
        assertThat(offenders(TRANSACTION, CORE)).isEmpty();
    }

    private static List<String> offenders(Pattern forbidden, Set<String> allowed) throws IOException {
        assertThat(MAIN).isDirectory();
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> {
                        try {
                            return forbidden.matcher(Files.readString(p)).find();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(p -> MAIN.resolve("com/rackflow").relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !allowed.contains(p)).toList();
        }
    }
}
