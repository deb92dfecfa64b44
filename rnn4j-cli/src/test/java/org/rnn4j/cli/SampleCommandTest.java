package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCommandTest {
    @TempDir
    static Path shared;

    static Path model;

    @BeforeAll
    static void train() throws IOException {
        model = Fixtures.trainedModel(shared);
    }

    private static Cli.Run sample(String... more) {
        String[] a = new String[more.length + 3];
        a[0] = "sample";
        a[1] = "--model";
        a[2] = model.toString();
        System.arraycopy(more, 0, a, 3, more.length);
        return Cli.run(a);
    }

    /** The continuation: stdout without its final line separator. */
    private static String continuation(Cli.Run r) {
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        assertTrue(r.out().endsWith(System.lineSeparator()), r.transcript());
        return r.out().substring(0, r.out().length() - System.lineSeparator().length());
    }

    @Test
    void greedySamplingIsDeterministicAndPrintsOnlyTheContinuation() {
        Cli.Run a = sample("--temperature", "0", "--length", "20", "--prime", "the cat ");
        Cli.Run b = sample("--temperature", "0", "--length", "20", "--prime", "the cat ");
        Cli.Run otherSeed = sample("--temperature", "0", "--length", "20", "--prime", "the cat ", "--seed", "7");
        String c = continuation(a);
        assertEquals(20, c.codePointCount(0, c.length()), "exactly the 20 generated characters, no prime\n"
                + a.transcript());
        assertEquals(a.out(), b.out());
        assertEquals(a.out(), otherSeed.out(), "greedy decoding does not use the seed");
        assertEquals("", a.err().strip(), a.transcript());
        for (char ch : c.toCharArray()) {
            assertTrue(Fixtures.PATTERN.indexOf(ch) >= 0, "only characters of the vocabulary: " + c);
        }
    }

    @Test
    void defaultPrimeGreedyIsDeterministic() {
        Cli.Run a = sample("--temperature", "0", "--length", "20");
        Cli.Run b = sample("--temperature", "0", "--length", "20");
        assertEquals(20, continuation(a).length(), a.transcript());
        assertEquals(a.out(), b.out());
    }

    @Test
    void samplingWithASeedIsReproducible() {
        Cli.Run a = sample("--length", "40", "--seed", "3", "--top-k", "3");
        Cli.Run b = sample("--length", "40", "--seed", "3", "--top-k", "3");
        assertEquals(40, continuation(a).length(), a.transcript());
        assertEquals(a.out(), b.out());
    }

    @Test
    void lengthZeroPrintsAnEmptyLine() {
        assertEquals("", continuation(sample("--length", "0")));
    }

    @Test
    void topKLargerThanTheVocabularyIsAllowed() {
        assertEquals(10, continuation(sample("--length", "10", "--top-k", "1000")).length());
    }

    @Test
    void negativeTemperature() {
        sample("--temperature", "-1").assertUsageError("sample", "--temperature", "0 (greedy) or positive", "-1");
    }

    @Test
    void notANumberTemperature() {
        sample("--temperature", "NaN").assertUsageError("sample", "--temperature", "NaN");
        sample("--temperature", "warm").assertUsageError("sample", "--temperature", "'warm'");
    }

    @Test
    void negativeTopK() {
        sample("--top-k", "-2").assertUsageError("sample", "--top-k", "0 (off) or positive", "-2");
    }

    @Test
    void negativeLength() {
        sample("--length", "-1").assertUsageError("sample", "--length", "-1");
    }

    @Test
    void emptyPrime() {
        sample("--prime", "").assertUsageError("sample", "--prime is empty");
    }

    @Test
    void primeWithCharactersOutsideTheVocabulary() {
        Cli.Run r = sample("--prime", "the QUICK \u20ac");
        assertEquals(Main.EXIT_USAGE, r.exit(), r.transcript());
        r.assertContainsAll(r.firstErrLine(), "prime", "not in the model's vocabulary", "'Q' (U+0051)",
                "'\u20ac' (U+20AC)", "12 characters");
        assertFalse(r.firstErrLine().contains("'t'"), "only the unknown characters are listed: " + r.firstErrLine());
        assertEquals("", r.out());
        r.assertNoStackTrace();
    }

    @Test
    void missingModelOption() {
        Cli.run("sample").assertUsageError("sample", "Missing required option", "--model");
    }

    @Test
    void missingModelFile() {
        Path missing = shared.resolve("nope.safetensors");
        Cli.run("sample", "--model", missing.toString()).assertFailure(missing.toString(), "no such file");
    }
}
