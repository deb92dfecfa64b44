package org.rnn4j.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The adding problem as Hochreiter &amp; Schmidhuber (1997) define it (Section 5.4, Experiment 4): each
 * step is a pair (value, marker), and the target is the scaled sum of the two marked values.
 * <pre>
 *   length   L ~ U{T .. T + T/10}, per sequence (padded to the longest)
 *   x[t]     feature 0: value ~ U[-1, 1)
 *            feature 1: marker: +1 at the two marked steps; -1 at steps 0 and L-1 unless marked; else 0
 *   markers  p1 ~ U{0 .. 9} (one of the first ten pairs);
 *            p2 = one of the first T/2 - 1 pairs still unmarked, uniformly (k ~ U{0 .. T/2 - 2}, p2 = k + (k &gt;= p1))
 *   zero     a marked value at step 0 is set to 0 ("X1 is set to zero in the rare case where the first pair
 *            of the sequence got marked"; applied here to whichever marked value is at step 0)
 *   target   0.5 + (X1 + X2) / 4.0, in [0, 1], read at step L-1
 * </pre>
 * (integer division.) Drawn per sequence in order: {@code L}, the {@code L} values, {@code p1}, {@code k}.
 *
 * <p><b>Loss and baseline.</b> MSE. Answering the mean 0.5 costs the target variance
 * {@code (E[X1²] + E[X2²]) / 16} with {@code E[X²] = 1/3} unless zeroed, i.e.
 * {@code (2 - 1/10 - (9/10)/(T/2 - 1)) / 48}: about 0.0392 at {@code T = 100}.
 *
 * <p><b>Success</b> (the paper): "a sequence was processed correctly if the absolute error at the
 * sequence end is below 0.04"; training stopped when the average training error was below 0.01 and the
 * 2000 most recent sequences were processed correctly. {@link #solved} asks that every sequence of the
 * test batch be processed correctly (which implies an MSE below 0.0016).
 *
 * <ul>
 *   <li>S. Hochreiter, J. Schmidhuber, Long short-term memory, Neural Computation 9(8), 1997, Section 5.4
 *       (also "LSTM can solve hard long time lag problems", NIPS 9, 1997, Experiment 1).</li>
 * </ul>
 */
public final class HochreiterAdding extends LongLagTask {
    /** The absolute error a correct sequence stays below. */
    public static final double MAX_ABSOLUTE_ERROR = 0.04;
    /** The value feature's index. */
    public static final int VALUE = 0;
    /** The marker feature's index. */
    public static final int MARKER = 1;
    /** The first marker is one of this many first pairs. */
    public static final int FIRST_MARKER_RANGE = 10;

    @Override
    public String name() {
        return "adding-hs";
    }

    @Override
    public String source() {
        return "Hochreiter & Schmidhuber (1997), Experiment 4: pairs (value U[-1,1), marker), length in [T, T+T/10], "
                + "markers in the first 10 pairs and the first T/2-1 unmarked pairs, target 0.5 + (X1+X2)/4";
    }

    @Override
    public String successRule() {
        return "every test sequence has absolute error < " + MAX_ABSOLUTE_ERROR + " (Hochreiter & Schmidhuber 1997)";
    }

    @Override
    public boolean tokenInputs() {
        return false;
    }

    @Override
    public int inputSize() {
        return 2;
    }

    @Override
    public int outputSize() {
        return 1;
    }

    @Override
    public Loss loss() {
        return Loss.MSE;
    }

    @Override
    public boolean perStepTargets() {
        return false;
    }

    @Override
    public int minSteps() {
        return FIRST_MARKER_RANGE; // the first ten pairs must exist
    }

    @Override
    LongLagBatch generate(int batchSize, int steps, RandomGenerator random) {
        int[] lengths = new int[batchSize];
        float[][] values = new float[batchSize][];
        int[] p1 = new int[batchSize];
        int[] p2 = new int[batchSize];
        int second = steps / 2 - 1;
        for (int b = 0; b < batchSize; b++) {
            lengths[b] = random.nextInt(steps, steps + steps / 10 + 1);
            values[b] = new float[lengths[b]];
            for (int t = 0; t < lengths[b]; t++) {
                values[b][t] = random.nextFloat(-1f, 1f);
            }
            p1[b] = random.nextInt(FIRST_MARKER_RANGE);
            int k = random.nextInt(second);
            p2[b] = k < p1[b] ? k : k + 1;
        }
        int longest = 0;
        for (int len : lengths) {
            longest = Math.max(longest, len);
        }
        float[] x = new float[longest * batchSize * 2]; // (T*B*2), zeros on padding
        float[] targets = new float[batchSize];
        for (int b = 0; b < batchSize; b++) {
            float[] v = values[b];
            v[0] = p1[b] == 0 || p2[b] == 0 ? 0f : v[0];
            for (int t = 0; t < lengths[b]; t++) {
                x[(t * batchSize + b) * 2 + VALUE] = v[t];
            }
            x[b * 2 + MARKER] = -1f;                                           // step 0
            x[((lengths[b] - 1) * batchSize + b) * 2 + MARKER] = -1f;          // step L-1
            x[(p1[b] * batchSize + b) * 2 + MARKER] = 1f;
            x[(p2[b] * batchSize + b) * 2 + MARKER] = 1f;
            targets[b] = target(v[p1[b]], v[p2[b]]);
        }
        return LongLagBatch.ofValues(new PaddedInputs(longest, batchSize, 2, lengths, null, x), targets);
    }

    /** {@code 0.5 + (x1 + x2) / 4}: the sum of two values of [-1, 1] scaled to [0, 1]. */
    public static float target(float x1, float x2) {
        return (float) (0.5 + ((double) x1 + x2) / 4.0);
    }

    @Override
    public float[] baselinePredictions(LongLagBatch batch) {
        float[] out = new float[batch.batchSize()];
        Arrays.fill(out, 0.5f);
        return out;
    }

    @Override
    public double expectedBaselineLoss(int steps) {
        if (steps < minSteps()) {
            throw new IllegalArgumentException("the " + name() + " task needs T >= " + minSteps() + ", got " + steps);
        }
        double firstAtZero = 1.0 / FIRST_MARKER_RANGE;
        double secondAtZero = (1 - firstAtZero) / (steps / 2 - 1);
        return (2 - firstAtZero - secondAtZero) / 48;
    }

    @Override
    public float[] perfectPredictions(LongLagBatch batch) {
        return batch.valueTargets().clone();
    }

    @Override
    boolean sequenceCorrect(float[] predictions, LongLagBatch batch, int b) {
        return Math.abs((double) predictions[b] - batch.valueTarget(b)) < MAX_ABSOLUTE_ERROR;
    }
}
