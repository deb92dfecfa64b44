package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit code 2 and a message naming the option for everything picocli or a command's validation rejects. */
class UsageTest {
    @TempDir
    Path dir;

    private String out() {
        return dir.resolve("never-created").toString();
    }

    @Test
    void noSubcommand() {
        Cli.Run r = Cli.run();
        r.assertUsageError("", "a command is required", "train, sample, eval, predict, generate, diagnose, experiment or bench");
        r.assertContainsAll(r.err(), "Commands:", "train", "sample", "eval");
    }

    @Test
    void unknownSubcommand() {
        Cli.run("frobnicate").assertUsageError("", "'frobnicate'");
    }

    @Test
    void unknownOption() {
        Cli.run("--bogus").assertUsageError("", "Unknown option", "'--bogus'");
        Cli.run("train", "--bogus", "--out", out()).assertUsageError("train", "Unknown option", "'--bogus'");
        Cli.run("sample", "--model", "m", "--bogus").assertUsageError("sample", "Unknown option", "'--bogus'");
        Cli.run("eval", "--model", "m", "--text", "t", "--bogus").assertUsageError("eval", "Unknown option", "'--bogus'");
    }

    /**
     * {@code --threads N} sets the kernel threads for the command (train reports them at start) and is undone
     * afterwards; 0 is a usage error. bench keeps its own --threads, which takes a list.
     */
    @Test
    void threadsOptionSetsTheKernelThreadsForTheCommand() {
        int before = KernelThreads.current();
        int other = before == 1 ? 2 : 1;
        Cli.Run r = Cli.run("train", "--steps", "2", "--eval-every", "2", "--threads", Integer.toString(other), "--out",
                dir.resolve("run").toString());
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        assertTrue(r.err().contains(other == 1 ? ", 1 thread" : ", 2 threads"), r.err());
        assertEquals(before, KernelThreads.current(), "the thread count after the command");
        Cli.run("train", "--threads", "0", "--out", out()).assertUsageError("train", "--threads must be at least 1");
        Cli.run("sample", "--model", "m", "--threads", "x").assertUsageError("sample", "--threads");
    }

    @ParameterizedTest
    @ValueSource(strings = {"train", "sample", "eval"})
    void helpForEachCommand(String command) {
        Cli.Run r = Cli.run(command, "--help");
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        assertTrue(r.out().startsWith("Usage: rnn4j " + command), r.transcript());
        r.assertContainsAll(r.out(), "--help", "--verbose");
        assertEquals("", r.err(), r.transcript());
        assertEquals(r.out(), Cli.run("help", command).out(), "'rnn4j help " + command + "' prints the same");
    }

    @Test
    void helpOfTrainDocumentsItsOptionsAndDefaults() {
        Cli.Run r = Cli.run("train", "--help");
        r.assertContainsAll(r.out(), "--text=FILE", "Reber", "--hidden=N", "(default: 128)", "--steps=N", "--epochs=N",
                "best.safetensors", "metrics.jsonl", "--json");
    }

    @Test
    void topLevelHelpAndVersion() {
        Cli.Run help = Cli.run("--help");
        assertEquals(Main.EXIT_OK, help.exit());
        help.assertContainsAll(help.out(), "Usage: rnn4j", "train", "sample", "eval");
        Cli.Run version = Cli.run("--version");
        assertEquals(Main.EXIT_OK, version.exit());
        assertTrue(version.out().startsWith("rnn4j "), version.transcript());
        version.assertContainsAll(version.out(), "matrix kernels:", "JVM:");
    }

    @Test
    void notANumber() {
        Cli.run("train", "--hidden", "abc", "--out", out()).assertUsageError("train", "--hidden", "'abc'", "not an int");
        Cli.run("train", "--lr", "fast", "--out", out()).assertUsageError("train", "--lr", "'fast'");
        Cli.run("sample", "--model", "m", "--length", "1e3").assertUsageError("sample", "--length", "'1e3'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--hidden=-3", "--batch=0", "--seq-len=0", "--layers=0", "--eval-every=0", "--steps=0"})
    void nonPositiveSizes(String option) {
        String[] nameValue = option.split("=");
        Cli.run("train", option, "--out", out())
                .assertUsageError("train", nameValue[0] + " must be a positive integer, got " + nameValue[1]);
    }

    @Test
    void otherOutOfRangeTrainOptions() {
        Cli.run("train", "--embedding", "-1", "--out", out()).assertUsageError("train", "--embedding", "0 (one-hot)");
        Cli.run("train", "--sample-length", "-1", "--out", out()).assertUsageError("train", "--sample-length");
        Cli.run("train", "--epochs", "-1", "--out", out()).assertUsageError("train", "--epochs must be positive");
        Cli.run("train", "--lr", "0", "--out", out()).assertUsageError("train", "--lr must be positive");
        Cli.run("train", "--lr", "Infinity", "--out", out()).assertUsageError("train", "--lr must be positive");
        Cli.run("train", "--clip-norm", "-1", "--out", out()).assertUsageError("train", "--clip-norm", "0 (off)");
        Cli.run("train", "--valid-fraction", "0.95", "--out", out()).assertUsageError("train", "--valid-fraction",
                "between", "0.95");
        Cli.run("train", "--spectral-radius", "0", "--out", out()).assertUsageError("train", "--spectral-radius");
    }

    @Test
    void unknownChoices() {
        Cli.run("train", "--level", "words", "--out", out()).assertUsageError("train", "--level must be one of char, word",
                "'words'");
        Cli.run("train", "--activation", "gelu", "--out", out()).assertUsageError("train", "tanh, relu, sigmoid");
        Cli.run("train", "--init", "xavier", "--out", out()).assertUsageError("train", "default, orthogonal, identity");
    }

    @Test
    void wordLevelNeedsAText() {
        Cli.run("train", "--level", "word", "--out", out()).assertUsageError("train", "Reber", "--text");
    }

    @Test
    void stepsTogetherWithEpochs() {
        Cli.run("train", "--steps", "5", "--epochs", "2", "--out", out())
                .assertUsageError("train", "--steps", "--epochs", "mutually exclusive");
    }

    @Test
    void usageErrorsCreateNoOutputDirectory() {
        Cli.run("train", "--hidden", "-3", "--out", out());
        assertTrue(!dir.resolve("never-created").toFile().exists());
    }
}
