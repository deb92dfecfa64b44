package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    static Path shared;

    static Path model;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws IOException {
        model = Fixtures.trainedModel(shared);
    }

    private static Cli.Run eval(Path text, String... more) {
        String[] a = new String[more.length + 5];
        a[0] = "eval";
        a[1] = "--model";
        a[2] = model.toString();
        a[3] = "--text";
        a[4] = text.toString();
        System.arraycopy(more, 0, a, 5, more.length);
        return Cli.run(a);
    }

    @Test
    void jsonLastLineHasLossBitsPerplexityAndTokens() throws IOException {
        String s = "the mat sat on the cat.\n";
        Path text = Cli.text(dir, "t.txt", s, 3);
        Cli.Run r = eval(text, "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        JsonNode j = r.lastOutJson();
        double loss = j.get("loss").asDouble();
        assertTrue(loss > 0 && Double.isFinite(loss), r.transcript());
        assertEquals(loss / Math.log(2), j.get("bits_per_token").asDouble(), 1e-9);
        assertEquals(Math.exp(loss), j.get("perplexity").asDouble(), 1e-6 * Math.exp(loss));
        assertEquals(3 * s.length() - 1, j.get("tokens").asInt(), "every character but the first is scored");
        r.assertContainsAll(r.out(), "nats/token", "bits/token", "perplexity", "over " + (3 * s.length() - 1) + " tokens");
        assertEquals("", r.err().strip(), r.transcript());
    }

    @Test
    void withoutJsonPrintsOneLine() throws IOException {
        Cli.Run r = eval(Cli.text(dir, "t.txt", "the cat", 1));
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        assertEquals(1, r.out().lines().count(), r.transcript());
        r.assertContainsAll(r.out(), "over 6 tokens");
    }

    @Test
    void theTrainingTextScoresBetterThanAScrambledOne() throws IOException {
        JsonNode seen = eval(Cli.text(dir, "a.txt", Fixtures.PATTERN, 5), "--json").lastOutJson();
        JsonNode scrambled = eval(Cli.text(dir, "b.txt", "mcn\n.s tah oe", 9), "--json").lastOutJson();
        assertTrue(seen.get("loss").asDouble() < scrambled.get("loss").asDouble(), seen + " vs " + scrambled);
    }

    @Test
    void textWithUnknownCharacters() throws IOException {
        Path text = Cli.text(dir, "unknown.txt", "the QUICK cat\u20ac\n", 1);
        eval(text).assertFailure(text.toString(), "not in the model's vocabulary", "'Q' (U+0051)", "'\u20ac' (U+20AC)");
    }

    @Test
    void textOfOneCharacter() throws IOException {
        Path text = Cli.text(dir, "one.txt", "t", 1);
        eval(text).assertFailure(text.toString(), "1 token", "at least 2");
    }

    @Test
    void emptyText() throws IOException {
        Path text = Cli.bytes(dir, "empty.txt", new byte[0]);
        eval(text).assertFailure(text.toString(), "is empty");
    }

    @Test
    void binaryText() throws IOException {
        Path text = Cli.bytes(dir, "b.bin", new byte[] {'a', 'b', 0, 1, 2, (byte) 0xff});
        eval(text).assertFailure(text.toString(), "NUL byte", "binary");
    }

    @Test
    void directoryAsText() throws IOException {
        Path d = Files.createDirectory(dir.resolve("d"));
        eval(d).assertFailure(d.toString(), "is a directory");
    }

    @Test
    void missingOptions() throws IOException {
        Cli.run("eval", "--model", model.toString()).assertUsageError("eval", "Missing required option", "--text");
        Cli.run("eval", "--text", Cli.text(dir, "t.txt", "ab", 1).toString())
                .assertUsageError("eval", "Missing required option", "--model");
    }
}
