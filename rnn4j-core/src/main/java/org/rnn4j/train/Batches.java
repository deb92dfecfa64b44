package org.rnn4j.train;

import org.rnn4j.data.PaddedInputs;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.model.SequenceBatch;

/** Turns the data package's padded batches into the model package's batches, without copying. */
final class Batches {
    /** Batch size of evaluation and prediction: large enough to amortise a step, small enough for memory. */
    static final int EVAL_BATCH = 256;

    private Batches() {
    }

    /** The inputs of a padded batch (tokens, or features as a (T·B × D) view), with its lengths. */
    static SequenceBatch inputs(PaddedInputs p) {
        if (p.hasTokens()) {
            return SequenceBatch.ofTokens(p.tokens(), p.steps(), p.batchSize(), p.lengths());
        }
        Matrix features = Matrix.view(p.features(), 0, p.steps() * p.batchSize(), p.featureSize());
        return SequenceBatch.ofFeatures(features, p.steps(), p.batchSize(), p.lengths());
    }

    /** Σ lengths: the input steps of a batch. */
    static long steps(PaddedInputs p) {
        long n = 0;
        for (int len : p.lengths()) {
            n += len;
        }
        return n;
    }
}
