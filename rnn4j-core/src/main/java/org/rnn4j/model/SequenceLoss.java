package org.rnn4j.model;

import org.rnn4j.matrix.Matrix;
import org.rnn4j.nn.MeanSquaredError;
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * The loss of a {@link SequenceModel}'s outputs against a batch's targets, and which items count: every
 * sequence (many-to-one), or the real steps (many-to-many; padded steps never count, whatever their
 * targets hold). Class targets that are negative count nowhere. Work buffers are reused between batches.
 */
final class SequenceLoss {
    private final SequenceModelConfig config;
    private int[] itemTargets;  // class targets of the counted items, NO_TARGET elsewhere
    private boolean[] itemMask; // whether an item can count

    SequenceLoss(SequenceModelConfig config) {
        this.config = config;
    }

    /** Whether the batch carries the kind of targets the task needs. */
    boolean hasTargets(SequenceBatch batch) {
        return config.task().isClassification() ? batch.classTargets != null : batch.valueTargets != null;
    }

    /** Item i is a sequence (many-to-one) or step i / B of sequence i % B (many-to-many); true where it is real. */
    boolean[] mask(SequenceBatch batch, int items) {
        itemMask = itemMask != null && itemMask.length == items ? itemMask : new boolean[items];
        for (int i = 0; i < items; i++) {
            itemMask[i] = config.shape() == SequenceShape.MANY_TO_ONE || batch.isReal(i / batch.batch, i % batch.batch);
        }
        return itemMask;
    }

    /**
     * L of the outputs (items × K) against the batch's targets, summed over the counted items; writes
     * ∂L/∂outputs into {@code dOut} when it is not null (zero rows for items that do not count).
     */
    SequenceModel.Result compute(Matrix outputs, SequenceBatch batch, Matrix dOut) {
        int items = outputs.rows;
        boolean[] mask = checkTargets(batch, items);
        return config.task().isClassification() ? crossEntropy(outputs, batch, mask, dOut)
                : squaredError(outputs, batch, mask, dOut);
    }

    /**
     * Checks the batch's targets for {@code items} outputs: their count or shape, classes in [0, K) (or
     * negative, for none) and finite values at the items that count. Returns the mask of those items.
     */
    boolean[] checkTargets(SequenceBatch batch, int items) {
        boolean[] mask = mask(batch, items);
        String per = config.shape() == SequenceShape.MANY_TO_ONE ? "one per sequence (B = " + batch.batch + ")"
                : "one per step (T·B = " + items + ")";
        int k = config.outputSize();
        if (config.task().isClassification()) {
            int[] y = batch.classTargets;
            if (y == null || y.length != items) {
                throw new IllegalArgumentException((y == null ? "the batch has no class targets" : "the batch has "
                        + y.length + " class targets") + "; a " + config.task().id() + " model needs " + per);
            }
            for (int i = 0; i < items; i++) {
                if (mask[i] && y[i] >= k) {
                    throw new IllegalArgumentException("target " + y[i] + " of " + item(batch, i) + " is not one of the "
                            + k + " classes 0.." + (k - 1));
                }
            }
            return mask;
        }
        Matrix y = batch.valueTargets;
        if (y == null || y.rows != items || y.cols != k) {
            throw new IllegalArgumentException((y == null ? "the batch has no value targets" : "the value targets are "
                    + y.shape()) + "; a " + config.task().id() + " model needs " + per + " of " + k + " values");
        }
        for (int i = 0; i < items; i++) {
            for (int c = 0; mask[i] && c < k; c++) {
                if (!Float.isFinite(y.get(i, c))) {
                    throw new IllegalArgumentException("target " + y.get(i, c) + " of " + item(batch, i) + " is not "
                            + "finite; leave missing steps out through the sequence lengths");
                }
            }
        }
        return mask;
    }

    private SequenceModel.Result crossEntropy(Matrix logits, SequenceBatch batch, boolean[] mask, Matrix dOut) {
        int items = logits.rows;
        int[] y = batch.classTargets;
        itemTargets = itemTargets != null && itemTargets.length == items ? itemTargets : new int[items];
        int correct = 0;
        for (int i = 0; i < items; i++) {
            itemTargets[i] = mask[i] && y[i] >= 0 ? y[i] : SequenceBatch.NO_TARGET;
            if (itemTargets[i] >= 0 && argmax(logits, i) == itemTargets[i]) {
                correct++;
            }
        }
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.forward(logits, itemTargets, dOut);
        return new SequenceModel.Result(r.sum(), r.count(), correct);
    }

    private SequenceModel.Result squaredError(Matrix values, SequenceBatch batch, boolean[] mask, Matrix dOut) {
        int k = config.outputSize();
        Matrix y = batch.valueTargets;
        MeanSquaredError.Result r = MeanSquaredError.forward(values, y, mask, dOut);
        return new SequenceModel.Result(r.sum(), r.count() / k, -1); // count items, not values
    }

    private String item(SequenceBatch batch, int i) {
        return config.shape() == SequenceShape.MANY_TO_ONE ? "sequence " + i
                : "sequence " + i % batch.batch + " at step " + i / batch.batch;
    }

    /** The column of row r's largest value (the first one on ties). */
    static int argmax(Matrix m, int row) {
        int base = m.offset + row * m.cols;
        int best = 0;
        for (int c = 1; c < m.cols; c++) {
            if (m.data[base + c] > m.data[base + best]) {
                best = c;
            }
        }
        return best;
    }
}
