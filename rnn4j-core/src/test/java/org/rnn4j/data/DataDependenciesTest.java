package org.rnn4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The data package uses nothing else of rnn4j (tokens are ints), never prints and never seeds itself. */
class DataDependenciesTest {

    @Test
    void dataDependsOnNothingElseInTheProject() throws IOException {
        Path sources = Path.of("src/main/java/org/rnn4j/data");
        assumeTrue(Files.isDirectory(sources), "run from the rnn4j-core module directory (as Maven does)");
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).trim();
                    boolean foreignImport = line.startsWith("import org.rnn4j.") && !line.startsWith("import org.rnn4j.data.");
                    boolean bad = foreignImport || line.contains("System.out") || line.contains("System.err")
                            || line.contains("System.exit") || line.contains("new Random(")
                            || line.contains("Math.random(");
                    if (bad) {
                        problems.add(file.getFileName() + ":" + (i + 1) + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }
}
