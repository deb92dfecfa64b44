package org.rnn4j.model;

import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;

/**
 * Small models and padded batches for the sequence-model tests. Padding holds values that would break
 * any leak: invalid token ids, NaN features, out-of-range class targets and NaN value targets.
 */
final class SequenceModelFixtures {
    static final int V = 5;
    static final int E = 3;
    static final int D = 2;
    static final int H = 3;
    static final int K = 3;
    static final int[] LENGTHS = {5, 2, 4, 1};
    static final int T = 5;

    /** How a model reads its input. */
    enum Input { EMBEDDING, ONE_HOT, FEATURES }

    private SequenceModelFixtures() {
    }

    static SequenceModelConfig config(SequenceTask task, SequenceShape shape, CellType cell, boolean bi, Input input,
                                      int layers) {
        SequenceModelConfig.Builder b = SequenceModelConfig.builder(task).shape(shape).cell(cell).hiddenSize(H).numLayers(layers)
                .outputSize(K);
        switch (input) {
            case EMBEDDING -> b.vocabSize(V).embeddingDim(E);
            case ONE_HOT -> b.vocabSize(V);
            case FEATURES -> b.featureSize(D);
        }
        if (bi) {
            b.bidirectional();
        }
        return b.build();
    }

    /** A padded batch of LENGTHS with targets for the task; one real item of each batch has no class target. */
    static SequenceBatch batch(SequenceModelConfig c, Rng rng) {
        int batch = LENGTHS.length;
        int n = T * batch;
        SequenceBatch x;
        if (c.tokenInput()) {
            int[] tokens = new int[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = real(i) ? rng.nextInt(V) : -7; // not a token: padding must never be read
            }
            x = SequenceBatch.ofTokens(tokens, T, batch, LENGTHS);
        } else {
            Matrix f = new Matrix(n, D);
            rng.fillUniform(f, -1.5f, 1.5f);
            for (int i = 0; i < n; i++) {
                if (!real(i)) {
                    f.set(i, 0, Float.NaN);
                    f.set(i, 1, 1e6f);
                }
            }
            x = SequenceBatch.ofFeatures(f, T, batch, LENGTHS);
        }
        boolean perStep = c.shape() == SequenceShape.MANY_TO_MANY;
        int items = perStep ? n : batch;
        if (c.task().isClassification()) {
            int[] y = new int[items];
            for (int i = 0; i < items; i++) {
                y[i] = perStep && !real(i) ? K + 4 : rng.nextInt(K); // not a class: padded targets are ignored
            }
            y[perStep ? batch : 2] = SequenceBatch.NO_TARGET; // a real item without a target
            return x.withClassTargets(y);
        }
        Matrix y = new Matrix(items, K);
        rng.fillUniform(y, -1f, 1f);
        for (int i = 0; perStep && i < items; i++) {
            if (!real(i)) {
                y.set(i, 0, Float.NaN);
            }
        }
        return x.withValueTargets(y);
    }

    /** Whether row i of the time-major (T·B) layout is a real step. */
    static boolean real(int i) {
        return i / LENGTHS.length < LENGTHS[i % LENGTHS.length];
    }
}
