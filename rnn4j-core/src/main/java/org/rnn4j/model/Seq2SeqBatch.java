package org.rnn4j.model;

/**
 * B (source, target) pairs for an encoder-decoder. Sources are non-empty sequences of source ids;
 * targets are sequences of target ids without {@link StepDecoder#BOS} and {@link StepDecoder#EOS} (the
 * model adds both, and rejects targets that hold them) and may be empty.
 */
public record Seq2SeqBatch(PaddedSequences source, PaddedSequences target) {
    public Seq2SeqBatch {
        if (source == null || target == null) {
            throw new IllegalArgumentException("source and target are required");
        }
        if (source.batch() != target.batch()) {
            throw new IllegalArgumentException(source.batch() + " sources but " + target.batch() + " targets");
        }
        int[] sourceLengths = source.lengths();
        for (int b = 0; b < source.batch(); b++) {
            if (sourceLengths[b] < 1) {
                throw new IllegalArgumentException("source " + b + " is empty: the encoder needs at least one token");
            }
        }
    }

    /** Pads {@code sources[b]} and {@code targets[b]} into one batch. */
    public static Seq2SeqBatch of(int[][] sources, int[][] targets) {
        return new Seq2SeqBatch(PaddedSequences.of(sources), PaddedSequences.of(targets));
    }

    public int batch() {
        return source.batch();
    }

    /** Number of predicted tokens: every target token plus one EOS per pair. */
    public int targetTokenCount() {
        int n = 0;
        for (int len : target.lengths()) {
            n += len + 1;
        }
        return n;
    }
}
