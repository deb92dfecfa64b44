package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;

/** A tiny model trained once per test class through the command line itself. */
final class Fixtures {
    static final String PATTERN = TrainCommandTest.PATTERN;

    private Fixtures() {
    }

    /** Trains on {@code dir/train.txt} (20 copies of the pattern) and returns {@code dir/run/best.safetensors}. */
    static Path trainedModel(Path dir) throws IOException {
        Path text = Cli.text(dir, "train.txt", PATTERN, 20);
        Path out = dir.resolve("run");
        Cli.Run r = Cli.run(TrainCommandTest.args(TrainCommandTest.SMALL, "train", "--text", text.toString(),
                "--out", out.toString()));
        assertEquals(Main.EXIT_OK, r.exit(), r.transcript());
        return out.resolve("best.safetensors");
    }
}
