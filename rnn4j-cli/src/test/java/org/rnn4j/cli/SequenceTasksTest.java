package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.TaskModelFile;
import org.rnn4j.model.SequenceModel;
import org.rnn4j.nn.Parameter;

/**
 * train --task classify|tag|seq2seq|forecast on tiny files written by rnn4j generate, the task model
 * files, predict on them, and the errors of bad inputs. Every run is a few steps of a tiny model.
 */
class SequenceTasksTest {
    /** A few steps of a tiny model, validated twice. */
    static final String[] TINY = {"--steps", "6", "--batch", "8", "--hidden", "8", "--eval-every", "3",
            "--optimizer", "adam", "--lr", "0.01"};

    @TempDir
    static Path dir;
    static Path sign;
    static Path echo;
    static Path reverse;
    static Path series;

    @BeforeAll
    static void generateData() {
        sign = generate("sign.jsonl", "sign-of-sum", "--count", "60");
        echo = generate("echo.jsonl", "echo", "--count", "40", "--min-length", "5", "--max-length", "8", "--delay", "2");
        reverse = generate("reverse.jsonl", "reverse", "--count", "60", "--max-digits", "4");
        series = generate("mg.csv", "mackey-glass", "--count", "200");
    }

    private static Path generate(String name, String kind, String... options) {
        Path file = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("generate", kind, "--out", file.toString()));
        args.addAll(List.of(options));
        Cli.Run r = Cli.run(args.toArray(new String[0]));
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        return file;
    }

    /** train with TINY, the task, its data, an output directory and more options. */
    private static Cli.Run train(String task, Path data, String out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--task", task, "--data", data.toString(), "--out",
                dir.resolve(out).toString(), "--force", "--json"));
        args.addAll(List.of(TINY));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(new String[0]));
    }

    private static JsonNode trained(Cli.Run r) throws IOException {
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        return r.lastOutJson();
    }

    // ------------------------------------------------------------------ each task trains, saves, predicts

    @Test
    void classifyTrainsSavesAndPredicts() throws IOException {
        Cli.Run r = train("classify", sign, "classify", "--cell", "gru");
        JsonNode s = trained(r);
        assertEquals("classify", s.get("task").asText());
        assertEquals("accuracy", s.get("metric").asText());
        assertEquals(6, s.get("steps").asLong());
        double accuracy = s.get("accuracy").asDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1, r.transcript());
        assertTrue(s.has("majority_accuracy") && s.has("best_accuracy") && s.has("valid_loss"), r.transcript());
        r.assertContainsAll(r.err(), "60 examples (54 train, 6 validation)", "2 classes", "baseline: always the majority",
                "step 3: train loss", "step 6: train loss");
        Path run = dir.resolve("classify");
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8);
        List<Long> evalSteps = new ArrayList<>();
        for (String line : metrics) {
            JsonNode m = Cli.JSON.readTree(line);
            if (m.get("type").asText().equals("eval")) {
                evalSteps.add(m.get("step").asLong());
                assertTrue(m.has("accuracy") && m.has("valid_loss") && m.has("best"), line);
            }
        }
        assertEquals(List.of(3L, 6L), evalSteps);

        TaskModelFile.Contents c = TaskModelFile.load(Path.of(s.get("best_model").asText()));
        TaskModelFile.SequenceContents m = assertInstanceOf(TaskModelFile.SequenceContents.class, c);
        assertEquals("classify", c.metadata().get(TaskModelFile.KEY_TASK));
        assertEquals(List.of("0", "1"), m.labels().names());
        assertEquals(1, m.model().config().featureSize());
        assertEquals(8, m.model().config().hiddenSize());

        Cli.Run p = Cli.run("predict", "--model", run.resolve("last.safetensors").toString(), "--data", sign.toString(),
                "--json");
        assertEquals(Main.EXIT_OK, p.exit(), p.transcript());
        JsonNode pj = p.lastOutJson();
        assertEquals(60, pj.get("examples").asInt());
        assertEquals(s.get("accuracy").isNumber(), pj.get("accuracy").isNumber());
        List<String> lines = p.out().lines().toList();
        assertEquals("prediction\tlabel\tinput", lines.get(0));
        assertEquals(1 + 60 + 2, lines.size(), p.transcript()); // header, one line per example, metric, JSON
    }

    @Test
    void tagTrainsBidirectionalWithAnEmbedding() throws IOException {
        JsonNode s = trained(train("tag", echo, "tag", "--bidirectional", "--embedding", "4"));
        TaskModelFile.SequenceContents m = (TaskModelFile.SequenceContents) TaskModelFile.load(
                Path.of(s.get("best_model").asText()));
        assertTrue(m.model().config().bidirectional());
        assertEquals(4, m.model().config().embeddingDim());
        assertEquals("abcd", String.join("", m.vocabulary().tokens()));
        assertEquals(List.of("_", "a", "b", "c", "d"), m.labels().names());
        Cli.Run p = Cli.run("predict", "--model", s.get("best_model").asText(), "--data", echo.toString(), "--show", "1");
        assertEquals(Main.EXIT_OK, p.exit(), p.transcript());
        assertEquals(3, p.out().lines().count(), p.transcript()); // header, one prediction, the metric
        p.assertContainsAll(p.lastOutLine(), "accuracy", "over 40 examples");
    }

    @Test
    void seq2seqScoresGreedyAndBeam() throws IOException {
        JsonNode s = trained(train("seq2seq", reverse, "seq2seq", "--embedding", "4", "--beam", "2"));
        assertEquals("exact_match", s.get("metric").asText());
        assertTrue(s.has("exact_match") && s.has("exact_match_beam"), s.toString());
        TaskModelFile.Seq2SeqContents m = assertInstanceOf(TaskModelFile.Seq2SeqContents.class,
                TaskModelFile.load(Path.of(s.get("last_model").asText())));
        assertEquals(10, m.sourceVocabulary().size());
        assertEquals(12, m.targetVocabulary().size()); // the digits, START and END
        Cli.Run p = Cli.run("predict", "--model", s.get("last_model").asText(), "--data", reverse.toString(), "--beam",
                "2", "--show", "0", "--json");
        assertEquals(Main.EXIT_OK, p.exit(), p.transcript());
        assertTrue(p.lastOutJson().has("exact_match_beam"), p.transcript());
        assertEquals(2, p.out().lines().count(), p.transcript());
    }

    @Test
    void forecastManyToManyAgainstTheNaiveForecast() throws IOException {
        Cli.Run r = train("forecast", series, "forecast", "--window", "8", "--shape", "many-to-many", "--target", "x");
        JsonNode s = trained(r);
        assertEquals("rmse", s.get("metric").asText());
        assertTrue(s.get("rmse").asDouble() > 0 && s.get("naive_rmse").asDouble() > 0, s.toString());
        r.assertContainsAll(r.err(), "200 time steps", "validation steps 160..199", "naive last-value forecast");
        TaskModelFile.SequenceContents m = (TaskModelFile.SequenceContents) TaskModelFile.load(
                Path.of(s.get("best_model").asText()));
        assertEquals(8, m.forecast().window());
        assertEquals(List.of("x"), m.forecast().targets());
        Cli.Run p = Cli.run("predict", "--model", s.get("best_model").asText(), "--data", series.toString(), "--json");
        assertEquals(Main.EXIT_OK, p.exit(), p.transcript());
        assertEquals(200 - 8, p.lastOutJson().get("windows").asInt());
        assertEquals("step\tprediction\tactual", p.out().lines().findFirst().orElseThrow());
    }

    @Test
    void checkpointingTrainsTheSameTaskModelsToRounding() throws IOException {
        // a bidirectional tagger (each direction checkpointed) and an encoder-decoder, in chunks of 2 steps:
        // gradients equal to float rounding keep the validation loss within 1e-4
        JsonNode tag = trained(train("tag", echo, "tag-plain", "--bidirectional"));
        Cli.Run tagRun = train("tag", echo, "tag-ckpt", "--bidirectional", "--checkpoint-every", "2");
        tagRun.assertContainsAll(tagRun.err(), "gradient checkpointing: activations kept for 2 steps");
        JsonNode tagCkpt = trained(tagRun);
        assertEquals(tag.get("valid_loss").asDouble(), tagCkpt.get("valid_loss").asDouble(), 1e-4, "tag");
        JsonNode s2s = trained(train("seq2seq", reverse, "s2s-plain", "--embedding", "4"));
        JsonNode s2sCkpt = trained(train("seq2seq", reverse, "s2s-ckpt", "--embedding", "4", "--checkpoint-every", "2"));
        assertEquals(s2s.get("valid_loss").asDouble(), s2sCkpt.get("valid_loss").asDouble(), 1e-4, "seq2seq");
        train("classify", sign, "x", "--checkpoint-every", "-2").assertUsageError("train",
                "--checkpoint-every must be at least 1");
    }

    @Test
    void theSameSeedTrainsTheSameModel() throws IOException {
        JsonNode a = trained(train("classify", sign, "same-a", "--seed", "7"));
        JsonNode b = trained(train("classify", sign, "same-b", "--seed", "7"));
        assertEquals(a.get("valid_loss"), b.get("valid_loss"));
        SequenceModel ma = ((TaskModelFile.SequenceContents) TaskModelFile.load(dir.resolve("same-a/last.safetensors")))
                .model();
        SequenceModel mb = ((TaskModelFile.SequenceContents) TaskModelFile.load(dir.resolve("same-b/last.safetensors")))
                .model();
        for (Parameter p : ma.parameters()) {
            assertArrayEquals(p.value.toArray(), mb.parameter(p.name()).value.toArray(), p.name());
        }
    }

    // ------------------------------------------------------------------ usage errors (exit 2)

    @Test
    void aSequenceTaskNeedsData() {
        Cli.run("train", "--task", "classify").assertUsageError("train", "--task classify needs --data FILE",
                "rnn4j generate");
    }

    @Test
    void anUnknownTask() {
        Cli.run("train", "--task", "translate", "--data", sign.toString()).assertUsageError("train", "--task must be one of",
                "lm, classify, tag, seq2seq, forecast", "'translate'");
    }

    @Test
    void optionsThatDoNotApplyAreRefusedNamingBoth() {
        train("classify", sign, "x", "--window", "5").assertUsageError("train", "--window does not apply to --task "
                + "classify", "forecast");
        train("seq2seq", reverse, "x", "--bidirectional").assertUsageError("train", "--bidirectional does not apply to "
                + "--task seq2seq");
        train("tag", echo, "x", "--beam", "3").assertUsageError("train", "--beam does not apply to --task tag");
        train("forecast", series, "x", "--embedding", "4").assertUsageError("train", "--embedding does not apply to "
                + "--task forecast");
        train("classify", sign, "x", "--seq-len", "10").assertUsageError("train", "--seq-len does not apply to --task "
                + "classify", "--task lm");
        train("tag", echo, "x", "--schedule", "cosine").assertUsageError("train", "--schedule does not apply to --task "
                + "tag", "--task lm");
        Cli.run("train", "--task", "classify", "--text", sign.toString()).assertUsageError("train",
                "--text does not apply to --task classify", "--data FILE");
        Cli.run("train", "--data", sign.toString()).assertUsageError("train", "--data does not apply to --task lm",
                "--text FILE");
        Cli.run("train", "--text", sign.toString(), "--bidirectional").assertUsageError("train",
                "--bidirectional does not apply to --task lm");
    }

    @Test
    void optionValuesAreChecked() {
        train("forecast", series, "x", "--shape", "one-to-many").assertUsageError("train", "--shape must be one of",
                "many-to-one, many-to-many");
        train("seq2seq", reverse, "x", "--beam", "0").assertUsageError("train", "--beam must be a positive integer");
        train("classify", sign, "x", "--valid-fraction", "1.5").assertUsageError("train", "--valid-fraction");
    }

    @Test
    void optionsThatDoNotFitTheData() {
        Cli.Run r = train("classify", sign, "x", "--embedding", "4");
        assertEquals(Main.EXIT_USAGE, r.exit(), r.transcript());
        r.assertContainsAll(r.firstErrLine(), "--embedding applies to token inputs", "1 number(s) per step");
        r = train("forecast", series, "x", "--window", "100");
        assertEquals(Main.EXIT_USAGE, r.exit(), r.transcript());
        r.assertContainsAll(r.firstErrLine(), "window", "100");
        r = train("forecast", series, "x", "--target", "y");
        assertEquals(Main.EXIT_USAGE, r.exit(), r.transcript());
        r.assertContainsAll(r.firstErrLine(), "y", "x");
    }

    // ------------------------------------------------------------------ failures (exit 1)

    @Test
    void dataOfAnotherTaskIsAFailureWithAHint() {
        train("classify", echo, "x").assertFailure(echo.toString(), ":1:", "label", "looks like data for --task tag");
        train("forecast", sign, "x").assertFailure(sign.toString(), "looks like data for --task classify");
        train("seq2seq", series, "x").assertFailure(series.toString(), "looks like data for --task forecast");
    }

    @Test
    void aMissingDataFile() {
        Path missing = dir.resolve("missing.jsonl");
        train("tag", missing, "x").assertFailure(missing.toString(), "no such file");
    }

    @Test
    void divergenceStopsWithAHint() {
        Cli.Run r = Cli.run("train", "--task", "forecast", "--data", series.toString(), "--window", "8", "--steps", "20",
                "--batch", "8", "--hidden", "8", "--optimizer", "sgd", "--lr", "1e6", "--clip-norm", "0", "--out",
                dir.resolve("diverged").toString());
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.transcript());
        String cause = r.err().lines().filter(l -> l.startsWith("rnn4j: ")).findFirst().orElse("");
        r.assertContainsAll(cause, "training diverged", "at step", "try --lr 100000.0 (now 1000000.0)", "--clip-norm");
        r.assertNoStackTrace();
    }

    @Test
    void modelsOfOneKindAreRefusedByTheCommandsOfTheOther() throws IOException {
        JsonNode s = trained(train("classify", sign, "kinds"));
        String taskModel = s.get("best_model").asText();
        Cli.run("sample", "--model", taskModel).assertFailure(taskModel, "is a classify model, not a language model",
                "rnn4j predict");
        Cli.run("eval", "--model", taskModel, "--text", sign.toString()).assertFailure(taskModel, "rnn4j predict");
        Path lm = Fixtures.trainedModel(Files.createDirectories(dir.resolve("lm")));
        Cli.run("predict", "--model", lm.toString(), "--data", sign.toString()).assertFailure(lm.toString(),
                "is a language model", "rnn4j sample");
        Cli.run("predict", "--model", taskModel, "--data", echo.toString()).assertFailure(echo.toString(),
                "looks like data for a tag model", "is a classify model");
        Cli.run("predict", "--model", taskModel, "--data", sign.toString(), "--beam", "2").assertUsageError("predict",
                "--beam applies to seq2seq models");
    }
}
