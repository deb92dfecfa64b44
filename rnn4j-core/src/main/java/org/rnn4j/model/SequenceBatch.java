package org.rnn4j.model;

import java.util.Arrays;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.nn.SequenceLengths;

/**
 * B sequences of up to T steps for a {@link SequenceModel}, time-major: row {@code t·B + b} is step t of
 * sequence b, which has {@code lengths[b]} real steps (1 ≤ length ≤ T); the steps after it are padding,
 * whose inputs and targets are never read. The input is token ids (T·B) or real features (T·B × D).
 * Targets, optional (needed for a loss), are per sequence or per step:
 * <pre>
 *   class targets  int (B) or (T·B)          negative = no target
 *   value targets  Matrix (B × K) or (T·B × K)
 * </pre>
 * A batch holds the arrays and matrices it is given, without copying: do not change them while it is
 * in use. Accessors return copies of the int arrays.
 */
public final class SequenceBatch {
    /** The class target meaning "none here" (any negative value does). */
    public static final int NO_TARGET = -1;

    final int steps;
    final int batch;
    final int[] lengths;      // (B), never null
    final int[] tokens;       // (T·B), or null for features
    final Matrix features;    // (T·B × D), or null for tokens
    final int[] classTargets; // (B) or (T·B), or null
    final Matrix valueTargets; // (B × K) or (T·B × K), or null

    private SequenceBatch(int steps, int batch, int[] lengths, int[] tokens, Matrix features, int[] classTargets,
                          Matrix valueTargets) {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("steps and batch must be positive, got T=" + steps + ", B=" + batch);
        }
        int n = Math.multiplyExact(steps, batch);
        if (tokens != null && tokens.length != n) {
            throw new IllegalArgumentException(tokens.length + " tokens given for T=" + steps + ", B=" + batch
                    + " (T·B = " + n + ")");
        }
        if (features != null && features.rows != n) {
            throw new IllegalArgumentException("features have " + features.rows + " rows for T=" + steps + ", B=" + batch
                    + " (T·B = " + n + ")");
        }
        if (classTargets != null && valueTargets != null) {
            throw new IllegalArgumentException("a batch has class targets or value targets, not both");
        }
        if (classTargets != null && classTargets.length != batch && classTargets.length != n) {
            throw new IllegalArgumentException(classTargets.length + " class targets given: expected one per sequence ("
                    + batch + ") or one per step (T·B = " + n + ")");
        }
        if (valueTargets != null && valueTargets.rows != batch && valueTargets.rows != n) {
            throw new IllegalArgumentException("value targets have " + valueTargets.rows + " rows: expected one per "
                    + "sequence (" + batch + ") or one per step (T·B = " + n + ")");
        }
        this.steps = steps;
        this.batch = batch;
        this.lengths = lengths == null ? filled(batch, steps) : SequenceLengths.check(lengths, steps, batch);
        this.tokens = tokens;
        this.features = features;
        this.classTargets = classTargets;
        this.valueTargets = valueTargets;
    }

    /** Token ids (T·B), time-major; {@code lengths} null means every sequence has all T steps. */
    public static SequenceBatch ofTokens(int[] tokens, int steps, int batch, int[] lengths) {
        return new SequenceBatch(steps, batch, lengths, requireNonNull(tokens, "tokens"), null, null, null);
    }

    /** Real features (T·B × D), time-major; {@code lengths} null means every sequence has all T steps. */
    public static SequenceBatch ofFeatures(Matrix features, int steps, int batch, int[] lengths) {
        return new SequenceBatch(steps, batch, lengths, null, requireNonNull(features, "features"), null, null);
    }

    /** Token sequences of different lengths (each at least 1), padded to the longest. */
    public static SequenceBatch padTokens(int[]... sequences) {
        int[] lengths = lengthsOf(sequences.length, b -> sequences[b].length);
        int steps = max(lengths);
        int batch = lengths.length;
        int[] tokens = new int[Math.multiplyExact(steps, batch)];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                tokens[t * batch + b] = sequences[b][t];
            }
        }
        return new SequenceBatch(steps, batch, lengths, tokens, null, null, null);
    }

    /** Feature sequences, sequence b a (length_b × D) matrix (length at least 1), zero-padded to the longest. */
    public static SequenceBatch padFeatures(Matrix... sequences) {
        int[] lengths = lengthsOf(sequences.length, b -> sequences[b].rows);
        int steps = max(lengths);
        int batch = lengths.length;
        Matrix features = new Matrix(Math.multiplyExact(steps, batch), sequences[0].cols);
        interleave(sequences, lengths, features, "feature sequence");
        return new SequenceBatch(steps, batch, lengths, null, features, null, null);
    }

    /** This batch with class targets: one per sequence (B) or per step (T·B, time-major); negative = none. */
    public SequenceBatch withClassTargets(int[] targets) {
        return new SequenceBatch(steps, batch, lengths, tokens, features, requireNonNull(targets, "targets"), null);
    }

    /** This batch with per-step class targets given per sequence (length_b each), laid out time-major. */
    public SequenceBatch withStepClassTargets(int[]... perSequence) {
        checkPerSequence(perSequence.length);
        int[] targets = new int[steps * batch];
        Arrays.fill(targets, NO_TARGET);
        for (int b = 0; b < batch; b++) {
            if (perSequence[b].length != lengths[b]) {
                throw new IllegalArgumentException("sequence " + b + " has " + lengths[b] + " steps but "
                        + perSequence[b].length + " targets");
            }
            for (int t = 0; t < lengths[b]; t++) {
                targets[t * batch + b] = perSequence[b][t];
            }
        }
        return withClassTargets(targets);
    }

    /** This batch with value targets: (B × K) one row per sequence, or (T·B × K) one per step, time-major. */
    public SequenceBatch withValueTargets(Matrix targets) {
        return new SequenceBatch(steps, batch, lengths, tokens, features, null, requireNonNull(targets, "targets"));
    }

    /** This batch with per-step value targets given per sequence, a (length_b × K) matrix each. */
    public SequenceBatch withStepValueTargets(Matrix... perSequence) {
        checkPerSequence(perSequence.length);
        Matrix targets = new Matrix(steps * batch, perSequence[0].cols);
        interleave(perSequence, lengths, targets, "targets of sequence");
        return withValueTargets(targets);
    }

    /** Sequence b alone, with T = its length and its targets: the batch of one a padded batch must agree with. */
    public SequenceBatch sequence(int b) {
        if (b < 0 || b >= batch) {
            throw new IllegalArgumentException("sequence " + b + " of a batch of " + batch);
        }
        int len = lengths[b];
        int[] tok = tokens == null ? null : new int[len];
        Matrix feat = features == null ? null : new Matrix(len, features.cols);
        for (int t = 0; t < len; t++) {
            if (tok != null) {
                tok[t] = tokens[t * batch + b];
            }
            if (feat != null) {
                copyRow(features, t * batch + b, feat, t);
            }
        }
        boolean perStep = steps > 1 && (classTargets != null ? classTargets.length : valueTargets == null ? 0
                : valueTargets.rows) != batch;
        int[] ct = null;
        Matrix vt = null;
        if (classTargets != null) {
            ct = new int[perStep ? len : 1];
            for (int i = 0; i < ct.length; i++) {
                ct[i] = classTargets[perStep ? i * batch + b : b];
            }
        } else if (valueTargets != null) {
            vt = new Matrix(perStep ? len : 1, valueTargets.cols);
            for (int i = 0; i < vt.rows; i++) {
                copyRow(valueTargets, perStep ? i * batch + b : b, vt, i);
            }
        }
        return new SequenceBatch(len, 1, null, tok, feat, ct, vt);
    }

    /** Sequences b0 .. b1−1 as a batch of their own, with the same T, their lengths and their targets. */
    SequenceBatch rows(int b0, int b1) {
        int n = b1 - b0;
        int[] tok = tokens == null ? null : new int[steps * n];
        Matrix feat = features == null ? null : new Matrix(steps * n, features.cols);
        for (int t = 0; t < steps; t++) {
            if (tok != null) {
                System.arraycopy(tokens, t * batch + b0, tok, t * n, n);
            }
            if (feat != null) {
                System.arraycopy(features.data, features.offset + (t * batch + b0) * features.cols, feat.data,
                        t * n * features.cols, n * features.cols);
            }
        }
        boolean perStep = steps > 1 && (classTargets != null ? classTargets.length : valueTargets == null ? 0
                : valueTargets.rows) != batch;
        int[] ct = null;
        Matrix vt = null;
        if (classTargets != null) {
            ct = perStep ? new int[steps * n] : Arrays.copyOfRange(classTargets, b0, b1);
            for (int t = 0; perStep && t < steps; t++) {
                System.arraycopy(classTargets, t * batch + b0, ct, t * n, n);
            }
        } else if (valueTargets != null) {
            int k = valueTargets.cols;
            vt = new Matrix(perStep ? steps * n : n, k);
            for (int t = 0; t < (perStep ? steps : 1); t++) {
                System.arraycopy(valueTargets.data, valueTargets.offset + (t * batch + b0) * k, vt.data, t * n * k, n * k);
            }
        }
        return new SequenceBatch(steps, n, Arrays.copyOfRange(lengths, b0, b1), tok, feat, ct, vt);
    }

    public int steps() {
        return steps;
    }

    public int batch() {
        return batch;
    }

    public int[] lengths() {
        return lengths.clone();
    }

    public int length(int b) {
        return lengths[b];
    }

    /** Whether step t of sequence b is a real step (not padding). */
    public boolean isReal(int t, int b) {
        return t < lengths[b];
    }

    /** The loss mask of a time-major (T·B) layout: true at real steps. */
    public boolean[] stepMask() {
        boolean[] m = new boolean[steps * batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                m[t * batch + b] = t < lengths[b];
            }
        }
        return m;
    }

    /** The number of real steps, Σ lengths. */
    public long realSteps() {
        long n = 0;
        for (int len : lengths) {
            n += len;
        }
        return n;
    }

    public boolean hasTokens() {
        return tokens != null;
    }

    /** The token ids (T·B), a copy; null for a batch of features. */
    public int[] tokens() {
        return tokens == null ? null : tokens.clone();
    }

    /** The features (T·B × D) as given; null for a batch of tokens. */
    public Matrix features() {
        return features;
    }

    /** The class targets, a copy; null when there are none. */
    public int[] classTargets() {
        return classTargets == null ? null : classTargets.clone();
    }

    /** The value targets as given; null when there are none. */
    public Matrix valueTargets() {
        return valueTargets;
    }

    private void checkPerSequence(int given) {
        if (given != batch) {
            throw new IllegalArgumentException(given + " target sequences given for a batch of " + batch);
        }
    }

    private static int[] lengthsOf(int batch, java.util.function.IntUnaryOperator length) {
        if (batch == 0) {
            throw new IllegalArgumentException("a batch needs at least one sequence");
        }
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = length.applyAsInt(b);
            if (lengths[b] < 1) {
                throw new IllegalArgumentException("sequence " + b + " is empty: every sequence needs at least one step");
            }
        }
        return lengths;
    }

    /** out row (t·B + b) = sequence b's row t, for t &lt; length_b; the other rows stay zero. */
    private static void interleave(Matrix[] sequences, int[] lengths, Matrix out, String what) {
        int batch = lengths.length;
        for (int b = 0; b < batch; b++) {
            Matrix s = sequences[b];
            if (s.cols != out.cols || s.rows != lengths[b]) {
                throw new IllegalArgumentException(what + " " + b + " is " + s.shape() + " but " + lengths[b] + "x"
                        + out.cols + " was expected");
            }
            for (int t = 0; t < s.rows; t++) {
                copyRow(s, t, out, t * batch + b);
            }
        }
    }

    private static void copyRow(Matrix src, int srcRow, Matrix dst, int dstRow) {
        System.arraycopy(src.data, src.offset + srcRow * src.cols, dst.data, dst.offset + dstRow * dst.cols, src.cols);
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static <X> X requireNonNull(X x, String what) {
        if (x == null) {
            throw new IllegalArgumentException(what + " are required");
        }
        return x;
    }
}
