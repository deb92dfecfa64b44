package org.rnn4j.data;

import java.util.Objects;

/**
 * A batch of a {@link ClassificationDataset}: padded inputs and one class per sequence (many-to-one:
 * the prediction is read at step {@code lengths[b] - 1} of sequence {@code b}).
 *
 * @param inputs the padded inputs, time-major (see {@link PaddedInputs})
 * @param labels {@code (B)} the class id of each sequence
 * @param examples {@code (B)} the index in the dataset of each batch column's example
 */
public record ClassificationBatch(PaddedInputs inputs, int[] labels, int[] examples) {
    public ClassificationBatch {
        Objects.requireNonNull(inputs, "inputs");
        if (labels.length != inputs.batchSize() || examples.length != inputs.batchSize()) {
            throw new IllegalArgumentException("labels and examples need B = " + inputs.batchSize() + " entries, got "
                    + labels.length + " and " + examples.length);
        }
    }

    /** {@code B}. */
    public int batchSize() {
        return inputs.batchSize();
    }
}
