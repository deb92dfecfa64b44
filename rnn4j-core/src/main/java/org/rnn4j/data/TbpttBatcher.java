package org.rnn4j.data;

import java.util.Objects;

/**
 * Truncated-backpropagation-through-time batches in the char-rnn manner: the token stream is cut into
 * {@code B} contiguous streams, which are read side by side in windows of {@code T} steps.
 *
 * <pre>
 *   n tokens, L = (n - 1) / B steps per stream (integer division), W = ceil(L / T) windows per epoch
 *   stream b: inputs tokens[b*L .. b*L + L - 1], targets tokens[b*L + 1 .. b*L + L]
 *   window w: steps [w*T, min((w+1)*T, L)) of every stream, time-major (see {@link Window})
 * </pre>
 * Stream {@code b}'s last target is stream {@code b+1}'s first input; the last {@code (n - 1) mod B}
 * predictions of the array are not used. Consecutive windows continue each stream where the previous
 * one stopped, so the caller carries the hidden state across windows. After the last window the
 * batcher wraps to the next epoch; the first window of an epoch says {@link Window#startsEpoch()}, the
 * signal to zero the state.
 *
 * <p><b>Last window:</b> when {@code T} does not divide {@code L}, the last window of each epoch is
 * shorter ({@code L mod T} steps), so every prediction is trained on; read its length from
 * {@link Window#steps()}. <b>Buffers:</b> the batcher allocates one {@link Window} for full windows and
 * one for the short last window at construction, and {@link #next()} refills and returns them; nothing
 * is allocated per window. The token array is not copied and must not change while in use.
 *
 * <p>The position ({@code epoch}, {@code window index} of the next window) can be read and restored with
 * {@link #position()} and {@link #seek(Position)}, for resumable training.
 */
public final class TbpttBatcher {
    private final int[] tokens;      // (n)
    private final int batchSize;     // B
    private final int window;        // T, the length of every window but perhaps the last
    private final int streamLength;  // L steps per stream and epoch
    private final int windowsPerEpoch;
    private final Window full;       // (T*B), null if L < T
    private final Window last;       // (L mod T)*B, null if T divides L
    private int epoch;
    private int windowIndex;

    /** Where the batcher is: the epoch and window index of the window {@link #next()} returns next. */
    public record Position(int epoch, int window) {
        public Position {
            if (epoch < 0 || window < 0) {
                throw new IllegalArgumentException("a batcher position has a non-negative epoch and window, got epoch "
                        + epoch + ", window " + window);
            }
        }
    }

    /**
     * @param tokens the token stream (not copied)
     * @param batchSize {@code B}, the number of parallel streams
     * @param window {@code T}, the steps per window (backpropagation is truncated to them)
     * @throws IllegalArgumentException if {@code B} or {@code T} is not positive, or the tokens are too
     *     few for {@code B} streams of at least two tokens ({@code n < B + 1})
     */
    public TbpttBatcher(int[] tokens, int batchSize, int window) {
        Objects.requireNonNull(tokens, "tokens");
        if (batchSize < 1) {
            throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
        }
        if (window < 1) {
            throw new IllegalArgumentException("the window (steps per TBPTT window) must be at least 1, got " + window);
        }
        if (tokens.length < batchSize + 1L) {
            throw new IllegalArgumentException(tokens.length + " tokens are too few for batch size " + batchSize
                    + ": each of the " + batchSize + " streams needs at least 2 tokens (an input and its target),"
                    + " so at least " + (batchSize + 1L) + " tokens; use a batch size of at most "
                    + Math.max(tokens.length - 1, 0) + " or more data");
        }
        this.tokens = tokens;
        this.batchSize = batchSize;
        this.streamLength = (tokens.length - 1) / batchSize;
        int steps = Math.min(window, streamLength);
        if ((long) steps * batchSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a window of " + steps + " steps times batch size " + batchSize
                    + " does not fit in a Java array: lower one of them");
        }
        this.window = window;
        this.windowsPerEpoch = (streamLength + window - 1) / window;
        this.full = streamLength >= window ? new Window(window, batchSize) : null;
        this.last = streamLength % window != 0 ? new Window(streamLength % window, batchSize) : null;
    }

    /**
     * Fills and returns the window at the current position, then advances; after the last window of an
     * epoch the position wraps to window 0 of the next epoch. The returned window is overwritten by a
     * later call.
     */
    public Window next() {
        int firstStep = windowIndex * window;
        Window w = firstStep + window <= streamLength ? full : last;
        w.fill(tokens, streamLength, firstStep, epoch, windowIndex);
        windowIndex++;
        if (windowIndex == windowsPerEpoch) {
            windowIndex = 0;
            epoch++;
        }
        return w;
    }

    /** The position of the window {@link #next()} returns next. */
    public Position position() {
        return new Position(epoch, windowIndex);
    }

    /**
     * Moves to {@code position}: the next window will be that one.
     *
     * @throws IllegalArgumentException if the window index is not below {@link #windowsPerEpoch()}
     */
    public void seek(Position position) {
        if (position.window() >= windowsPerEpoch) {
            throw new IllegalArgumentException("window " + position.window() + " does not exist: an epoch has "
                    + windowsPerEpoch + " windows (0 to " + (windowsPerEpoch - 1) + "); was the position saved"
                    + " with other data, batch size or window?");
        }
        this.epoch = position.epoch();
        this.windowIndex = position.window();
    }

    /** {@code B}. */
    public int batchSize() {
        return batchSize;
    }

    /** {@code T}, the steps of every window but perhaps the last of an epoch. */
    public int window() {
        return window;
    }

    /** {@code L}, the steps each stream has per epoch. */
    public int streamLength() {
        return streamLength;
    }

    /** {@code W = ceil(L / T)}. */
    public int windowsPerEpoch() {
        return windowsPerEpoch;
    }

    /** Predictions (input, target pairs) per epoch: {@code B * L}. */
    public long predictionsPerEpoch() {
        return (long) batchSize * streamLength;
    }

    /** The current epoch, from 0. */
    public int epoch() {
        return epoch;
    }

    /** The index within its epoch of the window {@link #next()} returns next. */
    public int windowIndex() {
        return windowIndex;
    }
}
