package org.rnn4j.model;

import org.rnn4j.matrix.Matrix;

/**
 * A model that emits target tokens one step at a time from a recurrent state: what greedy, sampled and
 * beam decoding need. Its target vocabulary reserves two ids:
 * <ul>
 *   <li>{@link #BOS} = 0, {@code <s>}: the first input of the decoder, never a target and never emitted;</li>
 *   <li>{@link #EOS} = 1, {@code </s>}: the last target of every sequence; emitting it ends the sequence.</li>
 * </ul>
 * The task's own tokens are ids 2 … V−1. A decoding starts from a state given by the model (an encoded
 * source, a conditioning vector) and feeds BOS first.
 */
public interface StepDecoder {
    /** Begin-of-sequence: the decoder's first input. */
    int BOS = 0;
    /** End-of-sequence: the decoder's last target. */
    int EOS = 1;
    /** The smallest target vocabulary: BOS, EOS and one token of the task. */
    int MIN_VOCAB_SIZE = 3;

    /** V of the target vocabulary, BOS and EOS included. */
    int vocabSize();

    /** A state of the decoder's shape for B sequences (zeros), e.g. to hold the rows of a beam. */
    RecurrentState newState(int batch);

    /**
     * Feeds one token per row of the state and returns the logits of the next token (B × V), owned by the
     * model and overwritten by the next step. O(1) per token: the state carries the prefix.
     */
    Matrix step(int[] tokens, RecurrentState state);
}
