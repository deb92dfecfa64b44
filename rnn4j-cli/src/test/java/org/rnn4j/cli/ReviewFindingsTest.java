package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defects found in review, each pinned by a test that failed before its fix. */
class ReviewFindingsTest {
    @TempDir
    Path dir;

    /**
     * The divergence hint of `train --task lm` took the rate as --lr, or SGD's default when --lr was not
     * given, so with another optimizer it advised from a rate the run never used (adam runs at 0.001,
     * the hint said "now 1.0").
     */
    @Test
    void divergenceHintNamesTheOptimizersOwnDefaultRate() throws IOException {
        Path f = Cli.text(dir, "pattern.txt", TrainCommandTest.PATTERN, 20);
        // a ReLU recurrence with spectral radius 1e30 overflows in the first window, whatever the rate
        Cli.Run r = Cli.run("train", "--text", f.toString(), "--optimizer", "adam", "--activation", "relu",
                "--init", "identity", "--spectral-radius", "1e30", "--clip-norm", "0", "--steps", "5", "--hidden", "8",
                "--batch", "4", "--seq-len", "8", "--out", dir.resolve("o").toString());
        assertEquals(Main.EXIT_FAILURE, r.exit(), r.transcript());
        r.assertContainsAll(r.err(), "training diverged", "(now 0.001)");
        r.assertNoStackTrace();
    }
}
