package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.io.SafeTensors;
import org.rnn4j.io.SafeTensorsFile;
import org.rnn4j.io.TensorData;

/**
 * {@code rnn4j train --resume DIR}: training 2N steps in one go and N steps then resuming for N more give
 * the same model, bit for bit (every tensor; the metadata differs only in timestamps), with Adam
 * (optimizer state), dropout (RNG state) and overlapping TBPTT windows (history).
 */
class ResumeCommandTest {
    @TempDir
    Path dir;

    private String[] args(Path text, Path out, int steps) {
        return new String[] {"train", "--text", text.toString(), "--cell", "gru", "--layers", "2", "--dropout", "0.1",
                "--hidden", "12", "--batch", "4", "--tbptt", "6:9", "--optimizer", "adam", "--lr", "0.01",
                "--eval-every", "7", "--sample-length", "5", "--steps", Integer.toString(steps), "--out", out.toString()};
    }

    @Test
    void resumingGivesTheSameModelBitForBit() throws IOException {
        Path text = Cli.text(dir, "t.txt", "the cat sat on the mat. ", 20);
        Cli.Run straight = Cli.run(args(text, dir.resolve("straight"), 30));
        assertEquals(Main.EXIT_OK, straight.exit(), straight.transcript());
        Cli.Run half = Cli.run(args(text, dir.resolve("split"), 15));
        assertEquals(Main.EXIT_OK, half.exit(), half.transcript());
        Cli.Run rest = Cli.run("train", "--resume", dir.resolve("split").toString(), "--steps", "30");
        assertEquals(Main.EXIT_OK, rest.exit(), rest.transcript());
        assertTrue(rest.err().contains("resuming at step 15 of 30"), rest.transcript());

        SafeTensorsFile a = SafeTensors.read(dir.resolve("straight/last.safetensors"));
        SafeTensorsFile b = SafeTensors.read(dir.resolve("split/last.safetensors"));
        assertEquals(a.names(), b.names());
        for (TensorData t : a.tensors()) {
            assertArrayEquals(t.bytes(), b.tensor(t.name()).bytes(), t.name());
        }
        assertEquals(a.metadata().get("rnn4j.config"), b.metadata().get("rnn4j.config"));
    }

    @Test
    void resumingTwiceKeepsTheLatestLengthAndStaysBitIdentical() throws IOException {
        Path text = Cli.text(dir, "t.txt", "the cat sat on the mat. ", 20);
        assertEquals(Main.EXIT_OK, Cli.run(args(text, dir.resolve("straight"), 30)).exit());
        assertEquals(Main.EXIT_OK, Cli.run(args(text, dir.resolve("split"), 10)).exit());
        String split = dir.resolve("split").toString();
        assertEquals(Main.EXIT_OK, Cli.run("train", "--resume", split, "--steps", "22").exit());
        Cli.Run again = Cli.run("train", "--resume", split); // no --steps: the last one given (22) holds
        assertEquals(Main.EXIT_OK, again.exit(), again.transcript());
        assertTrue(again.err().contains("resuming at step 22 of 22"), again.transcript());
        assertEquals(Main.EXIT_OK, Cli.run("train", "--resume", split, "--steps", "30").exit());
        SafeTensorsFile a = SafeTensors.read(dir.resolve("straight/last.safetensors"));
        SafeTensorsFile b = SafeTensors.read(dir.resolve("split/last.safetensors"));
        for (TensorData t : a.tensors()) {
            assertArrayEquals(t.bytes(), b.tensor(t.name()).bytes(), t.name());
        }
    }

    @Test
    void resumeRefusesChangedOptionsAndMissingCheckpoints() throws IOException {
        Path text = Cli.text(dir, "t.txt", "abcabcabd ", 20);
        Cli.run("train", "--resume", dir.resolve("nothing").toString())
                .assertFailure("checkpoint.safetensors", "no checkpoint");
        Cli.run("train", "--resume", dir.toString(), "--hidden", "8").assertUsageError("train", "--hidden", "resuming");
        Path out = dir.resolve("run");
        assertEquals(Main.EXIT_OK, Cli.run(args(text, out, 5)).exit());
        Files.writeString(text, "something else entirely, with new characters: xyz");
        Cli.run("train", "--resume", out.toString(), "--steps", "10").assertFailure("t.txt");
    }
}
