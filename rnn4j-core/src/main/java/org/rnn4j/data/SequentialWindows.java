package org.rnn4j.data;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Windows over one token stream ({@code B = 1}) covering every prediction in order, once, without
 * wrapping: for evaluation, where the caller carries the hidden state from window to window and zeroes
 * it only before the first ({@link Window#startsEpoch()}).
 *
 * <pre>
 *   n tokens give P = n - 1 predictions (input tokens[p], target tokens[p + 1]),
 *   W = ceil(P / T) windows; window w has steps [w*T, min((w+1)*T, P)), the last perhaps shorter
 * </pre>
 * Like {@link TbpttBatcher}, it allocates two {@link Window}s up front and refills them; the token array
 * is not copied.
 */
public final class SequentialWindows {
    private final int[] tokens;    // (n)
    private final int window;      // T
    private final int predictions; // P = n - 1
    private final int windowCount; // W
    private final Window full;     // (T), null if P < T
    private final Window last;     // (P mod T), null if T divides P
    private int nextIndex;

    /**
     * @throws IllegalArgumentException if {@code window < 1} or there are fewer than two tokens
     */
    public SequentialWindows(int[] tokens, int window) {
        Objects.requireNonNull(tokens, "tokens");
        if (window < 1) {
            throw new IllegalArgumentException("the window (steps per window) must be at least 1, got " + window);
        }
        if (tokens.length < 2) {
            throw new IllegalArgumentException("evaluation needs at least 2 tokens (an input and its target), got "
                    + tokens.length);
        }
        this.tokens = tokens;
        this.window = window;
        this.predictions = tokens.length - 1;
        this.windowCount = (predictions + window - 1) / window;
        this.full = predictions >= window ? new Window(window, 1) : null;
        this.last = predictions % window != 0 ? new Window(predictions % window, 1) : null;
    }

    public boolean hasNext() {
        return nextIndex < windowCount;
    }

    /**
     * The next window, overwriting the one returned before.
     *
     * @throws NoSuchElementException after the last window
     */
    public Window next() {
        if (nextIndex >= windowCount) {
            throw new NoSuchElementException("all " + windowCount + " windows have been read: call reset() to start over");
        }
        int firstStep = nextIndex * window;
        Window w = firstStep + window <= predictions ? full : last;
        w.fill(tokens, predictions, firstStep, 0, nextIndex);
        nextIndex++;
        return w;
    }

    /** Starts again from the first window. */
    public void reset() {
        nextIndex = 0;
    }

    /** {@code T}, the steps of every window but perhaps the last. */
    public int window() {
        return window;
    }

    /** {@code P = n - 1}, the number of predictions covered; the sum of all windows' steps. */
    public int predictions() {
        return predictions;
    }

    /** {@code W = ceil(P / T)}. */
    public int windowCount() {
        return windowCount;
    }
}
