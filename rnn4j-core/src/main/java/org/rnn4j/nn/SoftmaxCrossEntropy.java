package org.rnn4j.nn;

import org.rnn4j.matrix.ArrayKernels;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;

/**
 * Softmax followed by the negative log-likelihood of the target token, summed over rows:
 * <pre>
 *   p = softmax(z),   L = Σ_r −ln p_r[y_r]   over rows with a target (y_r ≥ 0)
 *   ∂L/∂z_r = p_r − onehot(y_r)             (0 for rows without a target)
 * </pre>
 * A negative target means "no target at this step" (PyTorch's ignore_index, −100, is one such value):
 * the row adds nothing to the loss or the gradient. The sum is accumulated in double.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /** The loss summed over rows and the number of rows that had a target. */
    public record Result(double sum, int count) {
        /** Mean loss per counted token (NaN when nothing was counted). */
        public double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }
    }

    /** Logit counts (N × V) from which the rows are split across the kernel threads. */
    static final long PARALLEL_MIN_VALUES = 1 << 16;

    /**
     * Computes the loss of logits (N × V) against targets[0 .. N) and, when {@code dLogits} is not null,
     * writes ∂L/∂logits into it (it may be the logits matrix itself).
     */

    public static Result forward(Matrix logits, int[] targets, Matrix dLogits) {
        int n = logits.rows;
        int v = logits.cols;
        if (targets.length < n) {
            throw new IllegalArgumentException(targets.length + " targets given for " + n + " rows of logits");
        }
        if (dLogits != null) {
            dLogits.requireShape(n, v, "gradient of the logits");
        }
        // Rows are independent: split across the kernel threads, each part summing its rows in order; the
        // parts' sums are added in part order.
        int parts = (long) n * v >= PARALLEL_MIN_VALUES ? Math.max(1, Math.min(Kernels.parallelism(), n / 64)) : 1;
        double[] sums = new double[parts];
        int[] counts = new int[parts];
        Kernels.parallel(parts, part -> {
            int r0 = (int) ((long) n * part / parts), r1 = (int) ((long) n * (part + 1) / parts);
            double partSum = 0;
            int partCount = 0;
            float[] scratch = dLogits == null ? new float[v] : null; // a row's softmax when there is no gradient
            for (int r = r0; r < r1; r++) {
                double loss = row(logits, targets, dLogits, r, scratch);
                if (targets[r] >= 0) {
                    partSum += loss;
                    partCount++;
                }
            }
            sums[part] = partSum;
            counts[part] = partCount;
        });
        double sum = 0;
        int count = 0;
        for (int p = 0; p < parts; p++) {
            sum += sums[p];
            count += counts[p];
        }
        return new Result(sum, count);
    }

    /**
     * The loss of row r (0 when its target is negative), and its gradient into dLogits when given (else
     * the softmax goes to {@code scratch}).
     */
    private static double row(Matrix logits, int[] targets, Matrix dLogits, int r, float[] scratch) {
        int v = logits.cols;
        int y = targets[r];
        int base = logits.offset + r * v;
        if (y >= v) {
            throw new IllegalArgumentException("target " + y + " at row " + r + " is outside the vocabulary of " + v
                    + " tokens");
        }
        float oy = y >= 0 ? logits.data[base + y] : 0f; // read first: dLogits may be the logits themselves
        float[] p = dLogits == null ? scratch : dLogits.data;
        int pBase = dLogits == null ? 0 : dLogits.offset + r * v;
        double logZ = ArrayKernels.softmax(v, logits.data, base, p, pBase); // p = softmax(o), logZ = ln Σ e^o
        if (dLogits != null) {
            if (y < 0) {
                for (int c = 0; c < v; c++) {
                    p[pBase + c] = 0f;
                }
            } else { // L = logZ - o_y  =>  dL/do_c = p_c - [c = y]
                p[pBase + y] -= 1f;
            }
        }
        return y >= 0 ? logZ - oy : 0.0; // L = logZ - o_y
    }
}
