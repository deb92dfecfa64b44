package org.rnn4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the dependency directions of STYLE.md true by reading the import lines of the main sources.
 * {@code matrix} is the base every numeric package may use (Matrix, Rng, Activation).
 */
class ArchitectureTest {
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "matrix", Set.of(),
            "data", Set.of(),
            "nn", Set.of("matrix"),
            "model", Set.of("nn", "matrix"),
            "optim", Set.of("nn", "matrix"),
            "diag", Set.of("model", "nn", "matrix"),
            // train writes checkpoints through io, and validates encoder-decoders by decoding through sample
            // (neither io nor sample uses train, so there is no cycle)
            "train", Set.of("data", "nn", "model", "optim", "diag", "matrix", "io", "sample"),
            "sample", Set.of("model", "data", "matrix"),
            "io", Set.of("model", "optim", "data", "nn", "matrix"));

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.rnn4j\\.(\\w+)\\.", Pattern.MULTILINE);
    private static final Pattern FORBIDDEN = Pattern.compile("System\\.(out|err)\\.|System\\.exit\\(|new Random\\(\\)");

    @Test
    void packagesDependOnlyDownwardAndNeverPrint() throws IOException {
        Path root = Path.of("src/main/java/org/rnn4j");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(f).getName(0).toString();
                String src = Files.readString(f);
                Set<String> allowed = ALLOWED.get(pkg);
                if (allowed == null) {
                    violations.add(f + ": package '" + pkg + "' is not in the architecture table");
                    continue;
                }
                Matcher m = IMPORT.matcher(src);
                while (m.find()) {
                    String dep = m.group(1);
                    if (!dep.equals(pkg) && !allowed.contains(dep)) {
                        violations.add(f + ": " + pkg + " must not import " + dep);
                    }
                }
                Matcher p = FORBIDDEN.matcher(src);
                if (p.find()) {
                    violations.add(f + ": the library must not print, exit or use an unseeded Random (" + p.group() + ")");
                }
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }
}
