package com.rackflow.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.rackflow.local.dynalite.Dynalite;

/** The console's own logic (vitest: src/**&#47;*.test.ts), run by `mvn verify` like every other test. */
class ConsoleUnitTest {

    @Test
    void vitestPasses() throws Exception {
        Path root = Dynalite.repositoryRoot();
        ConsoleBuild.ensureBuilt(root); // installs the pinned node_modules when missing
        assertThat(ConsoleBuild.run(root, "npx", "--no-install", "vitest", "run")).isZero();
    }
}
