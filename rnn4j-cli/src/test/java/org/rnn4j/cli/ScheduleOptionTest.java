package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleOptionTest {
    @TempDir
    Path dir;

    @Test
    void eachScheduleTrainsAndBadSpecsAreUsageErrors() throws IOException {
        Path text = Cli.text(dir, "t.txt", "abcabd abcabe ", 30);
        for (String spec : List.of("constant", "step:5:0.5", "exp:0.9", "cosine:3", "cosine:3:0.001", "plateau:0.5:0")) {
            Path out = dir.resolve(spec.replace(':', '_'));
            Cli.Run r = Cli.run("train", "--text", text.toString(), "--hidden", "8", "--batch", "4", "--seq-len", "6",
                    "--steps", "12", "--eval-every", "4", "--sample-length", "5", "--schedule", spec, "--out",
                    out.toString(), "--json");
            assertEquals(Main.EXIT_OK, r.exit(), spec + "\n" + r.transcript());
            assertTrue(Files.exists(out.resolve("last.safetensors")), spec);
        }
        for (String bad : List.of("bogus", "step", "exp:x", "cosine:1:2:3", "plateau:2")) {
            Cli.run("train", "--text", text.toString(), "--schedule", bad, "--out", dir.resolve("bad").toString())
                    .assertUsageError("train", "--schedule");
        }
    }

    @Test
    void theStepScheduleChangesTheRateTheMetricsReport() throws IOException {
        Path text = Cli.text(dir, "t.txt", "abcabd abcabe ", 30);
        Path out = dir.resolve("run");
        Cli.Run r = Cli.run("train", "--text", text.toString(), "--hidden", "8", "--batch", "4", "--seq-len", "6",
                "--steps", "20", "--eval-every", "10", "--sample-length", "5", "--optimizer", "sgd", "--lr", "0.1",
                "--schedule", "step:10:0.5", "--out", out.toString());
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        double first = Double.NaN;
        double last = Double.NaN;
        for (String l : lines) {
            JsonNode n = Cli.JSON.readTree(l);
            if (n.get("type").asText().equals("step") && n.has("lr")) {
                if (n.get("step").asLong() == 10) {
                    first = n.get("lr").asDouble();
                }
                if (n.get("step").asLong() == 20) {
                    last = n.get("lr").asDouble();
                }
            }
        }
        assertEquals(0.1, first, 1e-6);
        assertEquals(0.05, last, 1e-6);
    }
}
