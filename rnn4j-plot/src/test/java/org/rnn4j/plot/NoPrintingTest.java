package org.rnn4j.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** As in rnn4j-core's ArchitectureTest: a library never prints or exits; only the CLI talks to the terminal. */
class NoPrintingTest {
    private static final Pattern FORBIDDEN = Pattern.compile("System\\.(out|err)\\.|System\\.exit\\(|printStackTrace\\(");

    @Test
    void mainSourcesNeverPrintOrExit() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (FORBIDDEN.matcher(Files.readString(f)).find()) {
                    violations.add(f.toString());
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
