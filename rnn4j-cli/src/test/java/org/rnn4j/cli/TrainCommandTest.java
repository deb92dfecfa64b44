package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.ModelFile;

class TrainCommandTest {
    static final String PATTERN = "the cat sat on the mat.\n";
    /** A short, quiet run: 3 evaluations, short samples. */
    static final String[] SMALL = {"--steps", "30", "--hidden", "16", "--batch", "4", "--seq-len", "8",
            "--eval-every", "10", "--sample-length", "20"};

    @TempDir
    Path dir;

    static String[] args(String[] base, String... more) {
        List<String> a = new ArrayList<>(List.of(more));
        a.addAll(1, List.of(base)); // after the command name
        return a.toArray(new String[0]);
    }

    private Path patternText() throws IOException {
        return Cli.text(dir, "pattern.txt", PATTERN, 20);
    }

    // ------------------------------------------------------------------ happy paths

    @Test
    void trainsOnATextAndWritesModelsMetricsAndAJsonSummary() throws IOException {
        Path text = patternText();
        Path out = dir.resolve("run");
        Cli.Run r = Cli.run(args(SMALL, "train", "--text", text.toString(), "--out", out.toString(), "--json"));
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        for (String f : List.of("best.safetensors", "last.safetensors", "metrics.jsonl")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + "\n" + r.transcript());
        }
        JsonNode summary = r.lastOutJson();
        double valid = summary.get("valid_loss").asDouble();
        assertTrue(Double.isFinite(valid) && valid > 0, r.transcript());
        assertEquals(30, summary.get("steps").asLong());
        assertEquals(out.resolve("best.safetensors").toString(), summary.get("best_model").asText());
        assertTrue(summary.get("best_valid_loss").asDouble() <= valid);
        assertTrue(summary.has("unigram_loss"));
        assertFalse(summary.has("reber_valid_fraction"), "only the built-in corpus reports Reber validity");

        // Progress and evaluations go to the error writer; the results to the output writer.
        r.assertContainsAll(r.err(), "corpus: " + text, "vocabulary 12", "step 10:", "step 30:", "valid loss");
        r.assertContainsAll(r.out(), "--- samples (temperature 1) ---", "validation loss", "unigram baseline");

        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
        List<Long> evalSteps = new ArrayList<>();
        for (String line : metrics) {
            JsonNode m = Cli.JSON.readTree(line);
            if ("eval".equals(m.get("type").asText())) {
                evalSteps.add(m.get("step").asLong());
                assertTrue(Double.isFinite(m.get("valid_loss").asDouble()), line);
            }
        }
        assertEquals(List.of(10L, 20L, 30L), evalSteps);

        ModelFile.Contents best = ModelFile.load(out.resolve("best.safetensors"));
        assertEquals(16, best.model().config().hiddenSize());
        assertEquals(PATTERN.chars().distinct().count(), best.vocabulary().size());
        // the command's own arguments as a JSON array (what --resume replays)
        List<String> expectedArgs = new java.util.ArrayList<>(List.of(args(SMALL, "train", "--text", text.toString(),
                "--out", out.toString(), "--json")));
        expectedArgs.remove(0);
        assertEquals(Cli.JSON.valueToTree(expectedArgs), Cli.JSON.readTree(best.metadata().get("rnn4j.args")));
    }

    @Test
    void trainsOnTheBuiltInReberCorpusWithoutText() throws IOException {
        Path out = dir.resolve("reber");
        Cli.Run r = Cli.run("train", "--steps", "20", "--hidden", "16", "--batch", "8", "--seq-len", "10",
                "--eval-every", "10", "--sample-length", "20", "--out", out.toString(), "--json");
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        assertTrue(Files.isRegularFile(out.resolve("best.safetensors")), r.transcript());
        r.assertContainsAll(r.err(), "built-in embedded Reber corpus");
        r.assertContainsAll(r.out(), "embedded Reber strings sampled");
        JsonNode summary = r.lastOutJson();
        double fraction = summary.get("reber_valid_fraction").asDouble();
        assertTrue(fraction >= 0 && fraction <= 1, r.transcript());
        assertTrue(Double.isFinite(summary.get("valid_loss").asDouble()));
    }

    @Test
    void theSameSeedTrainsTheSameModel() throws IOException {
        Path text = patternText();
        Cli.Run a = Cli.run(args(SMALL, "train", "--text", text.toString(), "--out", dir.resolve("a").toString(), "--json"));
        Cli.Run b = Cli.run(args(SMALL, "train", "--text", text.toString(), "--out", dir.resolve("b").toString(), "--json"));
        assertEquals(a.lastOutJson().get("valid_loss"), b.lastOutJson().get("valid_loss"));
        Cli.Run ea = Cli.run("eval", "--model", dir.resolve("a/best.safetensors").toString(), "--text", text.toString());
        Cli.Run eb = Cli.run("eval", "--model", dir.resolve("b/best.safetensors").toString(), "--text", text.toString());
        assertEquals(ea.out(), eb.out());
    }

    @Test
    void checkpointingTrainsTheSameModelToRoundingAndLeavesTheModelFileAlone() throws IOException {
        Path text = patternText();
        String[] lstm = {"--cell", "lstm", "--layers", "2"};
        Cli.Run plain = Cli.run(args(SMALL, "train", "--text", text.toString(), "--out", dir.resolve("a").toString(),
                "--json", lstm[0], lstm[1], lstm[2], lstm[3]));
        // --seq-len 8 in chunks of 3: 3 + 3 + 2 steps
        Cli.Run ckpt = Cli.run(args(SMALL, "train", "--text", text.toString(), "--out", dir.resolve("b").toString(),
                "--json", lstm[0], lstm[1], lstm[2], lstm[3], "--checkpoint-every", "3"));
        assertEquals(Main.EXIT_OK, ckpt.exit(), ckpt.transcript());
        ckpt.assertContainsAll(ckpt.err(), "gradient checkpointing: activations kept for 3 steps");
        assertFalse(plain.err().contains("gradient checkpointing"), plain.transcript());
        // 30 SGD steps of gradients equal to float rounding (≈1e-7 relative) stay within 1e-4 of each other
        assertEquals(plain.lastOutJson().get("valid_loss").asDouble(), ckpt.lastOutJson().get("valid_loss").asDouble(),
                1e-4, ckpt.transcript());
        ModelFile.Contents a = ModelFile.load(dir.resolve("a/last.safetensors"));
        ModelFile.Contents b = ModelFile.load(dir.resolve("b/last.safetensors"));
        assertEquals(a.model().config(), b.model().config(), "checkpointing is not part of the model");
        Cli.run("train", "--text", text.toString(), "--checkpoint-every", "-1", "--out", dir.resolve("c").toString())
                .assertUsageError("train", "--checkpoint-every must be at least 1", "got -1");
    }

    // ------------------------------------------------------------------ bad --text

    @Test
    void missingTextFile() {
        Path missing = dir.resolve("missing.txt");
        Cli.run("train", "--text", missing.toString(), "--out", dir.resolve("o").toString())
                .assertFailure(missing.toString(), "no such file", "give the path");
    }

    @Test
    void emptyTextFile() throws IOException {
        Path empty = Cli.bytes(dir, "empty.txt", new byte[0]);
        Cli.run("train", "--text", empty.toString(), "--out", dir.resolve("o").toString())
                .assertFailure(empty.toString(), "is empty", "at least 20 characters");
    }

    @Test
    void randomBytesAsText() throws IOException {
        byte[] b = new byte[2000];
        new Random(1).nextBytes(b);
        Path bin = Cli.bytes(dir, "random.bin", b);
        Cli.run("train", "--text", bin.toString(), "--out", dir.resolve("o").toString())
                .assertFailure(bin.toString(), "binary", "UTF-8");
    }

    @Test
    void gzipAsText() throws IOException {
        Path gz = dir.resolve("text.gz");
        try (GZIPOutputStream z = new GZIPOutputStream(Files.newOutputStream(gz))) {
            z.write(PATTERN.repeat(20).getBytes(StandardCharsets.UTF_8));
        }
        Cli.run("train", "--text", gz.toString(), "--out", dir.resolve("o").toString())
                .assertFailure(gz.toString(), "binary", "UTF-8 text");
    }

    @Test
    void latin1Text() throws IOException {
        byte[] latin1 = "caf\u00e9 au lait, caf\u00e9 noir, the quick brown fox\n".getBytes(StandardCharsets.ISO_8859_1);
        Path f = Cli.bytes(dir, "latin1.txt", latin1);
        Cli.run("train", "--text", f.toString(), "--out", dir.resolve("o").toString())
                .assertFailure(f.toString(), "not valid UTF-8", "0xE9", "byte offset 3", "iconv");
    }

    @Test
    void directoryAsText() throws IOException {
        Path d = Files.createDirectory(dir.resolve("adir"));
        Cli.run("train", "--text", d.toString(), "--out", dir.resolve("o").toString())
                .assertFailure(d.toString(), "is a directory", "text file");
    }

    @Test
    void textTooShortToSplit() throws IOException {
        Path f = Cli.text(dir, "short.txt", "abcdefghij", 1);
        Cli.run("train", "--text", f.toString(), "--out", dir.resolve("o").toString())
                .assertFailure(f.toString(), "10 characters", "too few", "at least 20");
    }

    @Test
    void textTooShortForTheBatch() throws IOException {
        Path f = Cli.text(dir, "short.txt", "abcab", 8); // 40 characters: 36 train, 4 validation
        Cli.run("train", "--text", f.toString(), "--batch", "40", "--steps", "5", "--hidden", "8",
                        "--out", dir.resolve("o").toString())
                .assertFailure(f.toString(), "36 characters", "batch size 40", "at most 35");
    }

    @Test
    void textShorterThanTheWindowStillTrains() throws IOException {
        // 36 training characters in 4 streams of 9: each window is shorter than --seq-len 100.
        Path f = Cli.text(dir, "short.txt", "abcab", 8);
        Cli.Run r = Cli.run("train", "--text", f.toString(), "--batch", "4", "--seq-len", "100", "--steps", "5",
                "--hidden", "8", "--sample-length", "5", "--out", dir.resolve("o").toString());
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
    }

    @Test
    void wordLevelWithNoFrequentWord() throws IOException {
        Path f = patternText();
        Cli.run("train", "--text", f.toString(), "--level", "word", "--min-count", "1000", "--steps", "5",
                        "--out", dir.resolve("o").toString())
                .assertFailure(f.toString(), "no word occurs at least 1000 times", "lower the minimum count");
    }

    // ------------------------------------------------------------------ training failures

    @Test
    void divergedTrainingExitsOneWithAHint() throws IOException {
        Path f = patternText();
        Cli.Run r = Cli.run("train", "--text", f.toString(), "--activation", "relu", "--lr", "1000000", "--clip-norm", "0",
                "--steps", "20", "--hidden", "8", "--batch", "4", "--seq-len", "8", "--out", dir.resolve("o").toString());
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.transcript());
        assertTrue(r.err().contains("rnn4j: training diverged: loss became NaN at step"), r.transcript());
        r.assertContainsAll(r.err(), "--lr", "--clip-norm");
        r.assertNoStackTrace();
    }

    @Test
    void verboseShowsTheStackTrace() {
        Path missing = dir.resolve("missing.txt");
        Cli.Run r = Cli.run("--verbose", "train", "--text", missing.toString(), "--out", dir.resolve("o").toString());
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.transcript());
        r.assertContainsAll(r.err(), "rnn4j: " + missing, "NoSuchFileException", "\tat ");
        Cli.Run after = Cli.run("train", "--verbose", "--text", missing.toString(), "--out", dir.resolve("o").toString());
        after.assertContainsAll(after.err(), "\tat ");
    }

    @Test
    void tooLargeHiddenSizeIsAUsageError() throws IOException {
        Path f = patternText();
        Cli.run("train", "--text", f.toString(), "--hidden", "100000", "--steps", "1", "--out", dir.resolve("o").toString())
                .assertUsageError("train", "--hidden 100000", "too large");
    }

    @Test
    void outIsAnExistingFile() throws IOException {
        Path f = patternText();
        Path notADir = Cli.text(dir, "taken", "x", 1);
        Cli.run("train", "--text", f.toString(), "--steps", "5", "--hidden", "8", "--out", notADir.toString())
                .assertUsageError("train", notADir.toString(), "--out", "directory");
    }

    @Test
    void reusingOutIsRefusedUnlessForcedAndAForcedRunNeverLeavesTheOldModels() throws IOException {
        Path out = dir.resolve("run");
        Cli.Run first = Cli.run(args(SMALL, "train", "--text", patternText().toString(), "--out", out.toString()));
        assertEquals(Main.EXIT_OK, first.exit(), first.transcript());
        byte[] firstBest = Files.readAllBytes(out.resolve("best.safetensors"));

        Path other = Cli.text(dir, "other.txt", "abcab", 8);
        Cli.run("train", "--text", other.toString(), "--steps", "5", "--hidden", "8", "--batch", "4", "--out",
                out.toString()).assertUsageError("train", "already holds an earlier run", "--force");
        assertTrue(java.util.Arrays.equals(firstBest, Files.readAllBytes(out.resolve("best.safetensors"))),
                "a refused run must not touch the earlier models");

        // Forced, and failing before its first evaluation: the first run's models must not remain beside it.
        Cli.Run second = Cli.run("train", "--text", other.toString(), "--activation", "relu", "--lr", "1000000",
                "--clip-norm", "0", "--steps", "5", "--hidden", "8", "--batch", "4", "--force", "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, second.exit(), second.transcript());
        boolean staleBest = Files.exists(out.resolve("best.safetensors"))
                && java.util.Arrays.equals(firstBest, Files.readAllBytes(out.resolve("best.safetensors")));
        assertTrue(!staleBest, "best.safetensors is still the first run's\n" + second.transcript());
    }

    @Test
    void outOfMemoryIsAOneLineFailure() throws IOException {
        // W_hh of 46000x46000 floats is 8.5 GB: within the array limit, beyond the heap.
        assumeTrue(Runtime.getRuntime().maxMemory() < 8_000_000_000L, "needs a heap smaller than 8 GB");
        Path f = patternText();
        Cli.Run r;
        try {
            r = Cli.run("train", "--text", f.toString(), "--hidden", "46000", "--steps", "1",
                    "--out", dir.resolve("o").toString());
        } catch (OutOfMemoryError e) { // JUnit would abort the whole run on it
            fail("OutOfMemoryError escaped CommandLine.execute instead of becoming exit code 1: " + e);
            return;
        }
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.transcript());
        r.assertContainsAll(r.firstErrLine(), "rnn4j: out of memory", "--hidden", "-Xmx");
        r.assertNoStackTrace();
    }
}
