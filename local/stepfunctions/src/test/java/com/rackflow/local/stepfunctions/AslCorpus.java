package com.rackflow.local.stepfunctions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The definitions under src/test/resources/asl-corpus, in the style of asl-validator's corpus: {@code valid-*} must be
 * accepted, {@code invalid-*} refused, and {@code stricter-*} are refused by this emulator (as AWS refuses them, per
 * the spec) although asl-validator accepts them.
 */
final class AslCorpus {

    private AslCorpus() {
    }

    static Path folder() {
        try {
            return Path.of(AslCorpus.class.getResource("/asl-corpus").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> files(String prefix) {
        try (Stream<Path> s = Files.list(folder())) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
