package com.rackflow.local.stack.lambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rackflow.local.stack.template.FunctionSpec;

/**
 * A function's log group as a file ({@code <data>/logs/<function name>.log}): its execution environments write their
 * output there, and the runtime adds Lambda's platform records ({@code platform.initStart}, {@code platform.start},
 * {@code platform.report}), as JSON records or as the text lines (START, END, REPORT), per the function's
 * {@code LoggingConfig}; platform records below its {@code SystemLogLevel} are left out, as Lambda does.
 */
final class FunctionLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> LEVELS = Map.of("TRACE", 0, "DEBUG", 1, "INFO", 2, "WARN", 3, "ERROR", 4, "FATAL", 5);

    private final FunctionSpec function;
    private final Path file;

    FunctionLog(FunctionSpec function, Path folder) {
        this.function = function;
        this.file = folder.resolve(function.functionName() + ".log");
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the log folder " + folder + ": " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    /** A platform record; {@code text} is its line in the Text format. */
    void platform(String level, String type, Map<String, Object> record, String text) {
        FunctionSpec.Logging logging = function.logging();
        String minimum = logging.systemLogLevel() == null ? "INFO" : logging.systemLogLevel().toUpperCase(Locale.ROOT);
        if (logging.json() && LEVELS.getOrDefault(level, 2) < LEVELS.getOrDefault(minimum, 2)) {
            return;
        }
        String line;
        if (logging.json()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("time", Instant.now().toString());
            entry.put("type", type);
            entry.put("record", record);
            try {
                line = JSON.writeValueAsString(entry);
            } catch (JsonProcessingException e) {
                line = "{\"type\":\"" + type + "\"}";
            }
        } else {
            line = text;
        }
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log file is a convenience: an invocation never fails for it
        }
    }
}
