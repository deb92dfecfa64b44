package org.rnn4j.data;

import java.util.Objects;

/**
 * A batch of a {@link TaggingDataset}: padded inputs and one class per step (many-to-many, aligned).
 *
 * @param inputs the padded inputs, time-major (see {@link PaddedInputs})
 * @param tags {@code (T*B)} time-major: {@code tags[t*B + b]} is the tag id of step {@code t} of
 *     sequence {@code b}, or {@link PaddedInputs#IGNORED_TARGET} (-1) on padding
 * @param examples {@code (B)} the index in the dataset of each batch column's example
 */
public record TaggingBatch(PaddedInputs inputs, int[] tags, int[] examples) {
    public TaggingBatch {
        Objects.requireNonNull(inputs, "inputs");
        if (tags.length != inputs.steps() * inputs.batchSize() || examples.length != inputs.batchSize()) {
            throw new IllegalArgumentException("tags need T*B = " + inputs.steps() * inputs.batchSize()
                    + " entries and examples B = " + inputs.batchSize() + ", got " + tags.length + " and " + examples.length);
        }
    }

    /** The tag at step {@code t} of sequence {@code b} (-1 on padding). */
    public int tag(int t, int b) {
        return tags[t * inputs.batchSize() + b];
    }

    /** {@code B}. */
    public int batchSize() {
        return inputs.batchSize();
    }
}
