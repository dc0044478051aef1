package com.rackflow.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import com.rackflow.local.dynalite.Dynalite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the npm asl-validator (pinned in package-lock.json) on every {@code statemachines/*.asl.json} of the
 * repository, and on this module's corpus to show that the corpus agrees with it.
 */
class AslValidatorTest {

    private static Path root;
    private static Path validator;

    @BeforeAll
    static void locate() {
        root = Dynalite.repositoryRoot();
        validator = root.resolve("node_modules/.bin/asl-validator");
        if (!Files.exists(validator)) {
            // npm ci of the repository's package-lock.json (dynalite and asl-validator), done by the dynalite launcher
            Dynalite.shared();
        }
        assertThat(validator).as("asl-validator from package-lock.json").exists();
    }

    /** Runs asl-validator on the files; returns its output, one verdict line per file. */
    private static Result run(List<Path> files) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(validator.toString()));
        for (Path f : files) {
            cmd.add("--json-path");
            cmd.add(f.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private record Result(int exitCode, String output) {
        boolean saysValid(Path file) {
            return output.contains("\"" + file + "\" is valid");
        }

        boolean saysInvalid(Path file) {
            return output.contains("\"" + file + "\" is invalid");
        }
    }

    @Test
    void everyStateMachineOfTheProjectIsValid() throws Exception {
        Path folder = root.resolve("statemachines");
        assertThat(folder).isDirectory();
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".asl.json")).sorted().toList();
        }
        if (files.isEmpty()) {
            return; // the folder exists but holds no state machine yet
        }
        Result r = run(files);
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(files).allSatisfy(f -> assertThat(r.saysValid(f)).as(r.output()).isTrue());
    }

    @Test
    void theEmulatorAcceptsEveryStateMachineOfTheProject() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root.resolve("statemachines"))) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".asl.json")).sorted().toList();
        }
        for (Path f : files) {
            String text = Files.readString(f);
            java.util.Map<String, String> substitutions = new java.util.HashMap<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([^}]+)}").matcher(text);
            while (m.find()) {
                substitutions.put(m.group(1), "arn:aws:lambda:us-east-1:123456789012:function:" + m.group(1));
            }
            String definition = LocalStepFunctions.substitute(text, substitutions);
            assertThat(com.rackflow.local.stepfunctions.asl.DefinitionValidator.validate(definition))
                    .as("%s", f).filteredOn(d -> d.severity()
                            == com.rackflow.local.stepfunctions.asl.DefinitionValidator.Severity.ERROR).isEmpty();
        }
    }

    @Test
    void theCorpusAgreesWithAslValidator() throws Exception {
        List<Path> accepted = new ArrayList<>(AslCorpus.files("valid-"));
        accepted.addAll(AslCorpus.files("stricter-"));
        List<Path> refused = AslCorpus.files("invalid-");
        List<Path> all = new ArrayList<>(accepted);
        all.addAll(refused);
        Result r = run(all);
        assertThat(r.exitCode()).isNotZero();
        assertThat(accepted).allSatisfy(f -> assertThat(r.saysValid(f)).as("%s\n%s", f, r.output()).isTrue());
        assertThat(refused).allSatisfy(f -> assertThat(r.saysInvalid(f)).as("%s\n%s", f, r.output()).isTrue());
    }
}
