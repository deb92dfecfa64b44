package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.data.ClassificationDataset;
import org.rnn4j.data.DigitTasks;
import org.rnn4j.data.Seq2SeqDataset;
import org.rnn4j.data.TaggingDataset;
import org.rnn4j.data.TimeSeries;

class GenerateCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesEachKindInItsTasksFormat() throws IOException {
        Path sign = dir.resolve("sign.jsonl");
        Cli.Run r = Cli.run("generate", "sign-of-sum", "--out", sign.toString(), "--count", "30", "--max-length", "6");
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        r.assertContainsAll(r.out(), "wrote 30 sequences", "rnn4j train --task classify --data " + sign);
        ClassificationDataset c = ClassificationDataset.read(sign);
        assertEquals(30, c.size());
        assertTrue(c.inputs().maxLength() <= 6);

        Path echo = dir.resolve("echo.jsonl");
        assertEquals(Main.EXIT_OK, Cli.run("generate", "echo", "--out", echo.toString(), "--count", "5", "--delay", "1",
                "--min-length", "2", "--max-length", "3").exit());
        assertEquals(5, TaggingDataset.read(echo).size());

        Path add = dir.resolve("add.jsonl");
        assertEquals(Main.EXIT_OK, Cli.run("generate", "add", "--out", add.toString(), "--count", "7", "--seed", "3",
                "--max-digits", "2").exit());
        Seq2SeqDataset pairs = Seq2SeqDataset.read(add);
        Seq2SeqDataset expected = DigitTasks.addition(7, 2, 3);
        for (int i = 0; i < 7; i++) {
            assertEquals(expected.sourceText(i), pairs.sourceText(i));
            assertEquals(expected.targetText(i), pairs.targetText(i));
        }

        Path mg = dir.resolve("new/dir/mg.csv"); // directories are created
        assertEquals(Main.EXIT_OK, Cli.run("generate", "mackey-glass", "--out", mg.toString(), "--count", "50").exit());
        TimeSeries series = TimeSeries.readCsv(mg);
        assertEquals(List.of("x"), series.columns());
        assertEquals(50, series.length());
    }

    @Test
    void badRequestsAreUsageErrors() throws IOException {
        String out = dir.resolve("d.jsonl").toString();
        Cli.run("generate", "fibonacci", "--out", out).assertUsageError("generate", "KIND must be one of",
                "sign-of-sum, echo, reverse, add, mackey-glass");
        Cli.run("generate", "sign-of-sum", "--out", out, "--delay", "2").assertUsageError("generate",
                "--delay does not apply to sign-of-sum", "echo");
        Cli.run("generate", "reverse", "--out", out, "--min-digits", "5", "--max-digits", "2").assertUsageError(
                "generate", "minDigits <= maxDigits");
        Cli.run("generate", "add", "--out", out, "--count", "0").assertUsageError("generate", "--count must be a positive");
        Cli.run("generate", "add").assertUsageError("generate", "--out");

        Files.writeString(dir.resolve("d.jsonl"), "keep me", StandardCharsets.UTF_8);
        Cli.run("generate", "add", "--out", out).assertUsageError("generate", "already exists", "--force");
        assertEquals("keep me", Files.readString(dir.resolve("d.jsonl")));
        assertEquals(Main.EXIT_OK, Cli.run("generate", "add", "--out", out, "--force", "--count", "3").exit());
        assertEquals(3, Seq2SeqDataset.read(dir.resolve("d.jsonl")).size());
    }
}
