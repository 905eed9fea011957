package io.groupwire.bench;

import io.groupwire.core.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Prints the bench's figures as a table and writes them as JSON. */
final class BenchReport {
    private BenchReport() {
    }

    static void print(PrintStream out, Map<String, Object> figures) {
        out.println();
        out.printf("%-36s %16s%n", "figure", "value");
        out.println("-".repeat(53));
        figures.forEach((k, v) -> out.printf("%-36s %16s%n", k,
                v instanceof Double d ? String.format(k.endsWith("ratio") ? "%.3f" : "%,.1f", d) : v));
    }

    static void writeJson(Path file, Map<String, Object> figures) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(figures));
    }
}
