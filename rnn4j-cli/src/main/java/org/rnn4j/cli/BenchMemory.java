package org.rnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.RecurrentStack;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The memory report of {@code rnn4j bench} ({@code --memory}) and its options: for each cell, the heap of
 * one training step of 1 layer at T = 1000, H = 512, B = 32 (issue 6's long sequence), set against the
 * analytic size of the activations that backward needs; with {@code --checkpoint-every K}, also with
 * gradient checkpointing, and the time of a few more steps with and without it.
 */
final class BenchMemory {
    static final int SEQ_LEN = 1000;
    static final int HIDDEN = 512;
    static final int BATCH = 32;
    /** Training steps timed after the heap measurement (the fastest is reported). */
    static final int TIMED_STEPS = 2;
    private static final double MB = 1e6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--memory", description = "Also report the heap of one training step at T=" + SEQ_LEN
            + ", H=" + HIDDEN + ", B=" + BATCH + ", 1 layer, for each cell, at the first --threads count "
            + "(MB = 10^6 bytes).")
    boolean enabled;

    @Option(names = "--checkpoint-every", paramLabel = "K", description = "With --memory: measure each cell also with "
            + "gradient checkpointing every K steps (activations kept for K steps and recomputed in backward, as "
            + "train --checkpoint-every), and the time of a training step with and without it.")
    Integer checkpointEvery;

    // Hidden: smaller work for tests.
    @Option(names = "--memory-seq-len", hidden = true)
    int seqLen = SEQ_LEN;

    @Option(names = "--memory-hidden", hidden = true)
    int hidden = HIDDEN;

    @Option(names = "--memory-batch", hidden = true)
    int batch = BATCH;

    @Option(names = "--memory-timed-steps", hidden = true)
    int timedSteps = TIMED_STEPS;

    /** Checks these options; {@code cl} is the bench command, for usage errors. */
    void validate(CommandLine cl) {
        positive(cl, "--memory-seq-len", seqLen);
        positive(cl, "--memory-hidden", hidden);
        positive(cl, "--memory-batch", batch);
        if (checkpointEvery != null) {
            if (!enabled) {
                throw new CommandLine.ParameterException(cl, "--checkpoint-every applies to the memory report: add --memory");
            }
            if (checkpointEvery < 1) {
                throw new CommandLine.ParameterException(cl, "--checkpoint-every must be at least 1 step, got "
                        + checkpointEvery);
            }
        }
        if (timedSteps < 0) {
            throw new CommandLine.ParameterException(cl, "--memory-timed-steps must be 0 or more, got " + timedSteps);
        }
    }

    private static void positive(CommandLine cl, String option, int v) {
        if (v < 1) {
            throw new CommandLine.ParameterException(cl, option + " must be a positive integer, got " + v);
        }
    }

    /** Lines the report prints for each cell: 0 without --memory, 2 with checkpointing, else 1. */
    int pointsPerCell() {
        return !enabled ? 0 : checkpointEvery != null ? 2 : 1;
    }

    /** The checkpointing of each of a cell's points: none, then every K steps when asked. */
    int[] checkpointings() {
        return checkpointEvery == null ? new int[] {RecurrentStack.NO_CHECKPOINTING}
                : new int[] {RecurrentStack.NO_CHECKPOINTING, checkpointEvery};
    }

    /** Heap of one training step (model creation included), then the time of a few more; k = 0: no checkpointing. */
    ObjectNode measure(PrintWriter out, String counter, CellType cell, int k, long seed) {
        int t = seqLen;
        int h = hidden;
        int b = batch;
        HeapProbe.Usage u = HeapProbe.measure(() -> {
            BenchModel.Training training = new BenchModel.Training(cell, 1, h, b, t, new Rng(seed), k);
            training.step();
            return training;
        });
        double stepSeconds = Double.NaN;
        if (timedSteps > 0) {
            BenchModel.Training training = new BenchModel.Training(cell, 1, h, b, t, new Rng(seed), k);
            for (int i = 0; i < timedSteps; i++) {
                long start = System.nanoTime();
                training.step();
                stepSeconds = Math.min(Double.isNaN(stepSeconds) ? Double.MAX_VALUE : stepSeconds,
                        (System.nanoTime() - start) / 1e9);
            }
        }
        double activations = (k == RecurrentStack.NO_CHECKPOINTING ? BenchModel.activationBytes(cell, 1, h, b, t)
                : BenchModel.checkpointedActivationBytes(cell, 1, h, b, t, k)) / MB;
        out.printf(Locale.ROOT, "%s memory %-4s L=1 T=%d H=%d B=%d %-7s peak heap %.1f MB (before %.1f, after %.1f); "
                        + "stored activations (analytic) %.1f MB%s%n", counter, cell, t, h, b,
                k == RecurrentStack.NO_CHECKPOINTING ? "" : "ckpt=" + k, u.peak() / MB, u.before() / MB,
                u.retained() / MB, activations,
                Double.isNaN(stepSeconds) ? "" : String.format(Locale.ROOT, "; step %.2f s", stepSeconds));
        out.flush();
        ObjectNode r = JSON.createObjectNode();
        r.put("cell", cell.name()).put("layers", 1).put("hidden", h).put("batch", b).put("seq", t)
                .put("checkpoint_every", k).put("threads", KernelThreads.current())
                .put("peak_heap_mb", u.peak() / MB).put("heap_before_mb", u.before() / MB)
                .put("heap_after_mb", u.retained() / MB).put("activations_mb", activations);
        if (!Double.isNaN(stepSeconds)) {
            r.put("step_s_min", stepSeconds);
        }
        return r;
    }
}
