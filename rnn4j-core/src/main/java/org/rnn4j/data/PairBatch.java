package org.rnn4j.data;

import java.util.Objects;

/**
 * A batch of a {@link Seq2SeqDataset} for an encoder-decoder trained with teacher forcing. With
 * {@code y} the target ids of sequence {@code b} ({@code |y|} of them) and {@code T'} = the longest
 * {@code |y| + 1} of the batch:
 * <pre>
 *   decoder step t:   0       1       ...   |y|-1       |y|        |y|+1 ... T'-1
 *   decoderInputs:    START   y[0]    ...   y[|y|-2]    y[|y|-1]   0 (padding)
 *   decoderTargets:   y[0]    y[1]    ...   y[|y|-1]    END        -1 (ignored)
 * </pre>
 * {@code decoderInputs.lengths()[b] = |y| + 1}.
 *
 * @param source the padded source sequences, time-major
 * @param decoderInputs the padded decoder inputs (token ids of the target vocabulary), time-major {@code (T'*B)}
 * @param decoderTargets {@code (T'*B)} time-major: the next target token, or
 *     {@link PaddedInputs#IGNORED_TARGET} (-1) on padding
 * @param examples {@code (B)} the index in the dataset of each batch column's example
 */
public record PairBatch(PaddedInputs source, PaddedInputs decoderInputs, int[] decoderTargets, int[] examples) {
    public PairBatch {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(decoderInputs, "decoderInputs");
        int b = source.batchSize();
        if (decoderInputs.batchSize() != b || examples.length != b
                || decoderTargets.length != decoderInputs.steps() * b) {
            throw new IllegalArgumentException("the source, decoder inputs and examples need the same B = " + b
                    + " and decoderTargets T'*B entries, got B = " + decoderInputs.batchSize() + " and "
                    + examples.length + " examples, " + decoderTargets.length + " targets");
        }
    }

    /** The decoder target at step {@code t} of sequence {@code b} (-1 on padding). */
    public int decoderTarget(int t, int b) {
        return decoderTargets[t * source.batchSize() + b];
    }

    /** {@code B}. */
    public int batchSize() {
        return source.batchSize();
    }
}
