package org.rnn4j.data;

/**
 * One window of TBPTT training or evaluation: {@code steps()} time steps of {@code batchSize()} streams,
 * in time-major layout ({@code T} = {@link #steps()}, {@code B} = {@link #batchSize()}):
 * <pre>
 *   inputs[t*B + b]  = token at step t of stream b            // (T*B)
 *   targets[t*B + b] = the token after it in the same stream    // (T*B)
 * </pre>
 * so {@code targets} at step {@code t} equals {@code inputs} at step {@code t+1}, and the targets of
 * the last step are the inputs of the next window's first step.
 *
 * <p>A window is a reused view: the batcher that returned it overwrites it on a later call, and the
 * arrays must not be modified. The arrays are exactly {@code T*B} long.
 */
public final class Window {
    private final int[] inputs;  // (T*B) time-major
    private final int[] targets; // (T*B) time-major, the next token of each input
    private final int steps;     // T
    private final int batchSize; // B
    private int epoch;
    private int index;
    private int firstStep;

    Window(int steps, int batchSize) {
        this.steps = steps;
        this.batchSize = batchSize;
        this.inputs = new int[steps * batchSize];
        this.targets = new int[steps * batchSize];
    }

    /**
     * Fills this window with steps {@code [firstStep, firstStep + T)} of {@code B} streams, stream
     * {@code b} starting at token {@code b * streamLength}.
     */
    void fill(int[] tokens, int streamLength, int firstStep, int epoch, int index) {
        for (int t = 0; t < steps; t++) {
            int row = t * batchSize;
            int position = firstStep + t;
            for (int b = 0; b < batchSize; b++) {
                int p = b * streamLength + position;
                inputs[row + b] = tokens[p];
                targets[row + b] = tokens[p + 1];
            }
        }
        this.firstStep = firstStep;
        this.epoch = epoch;
        this.index = index;
    }

    /** Inputs, time-major: {@code inputs()[t*B + b]}; length {@code T*B}. Do not modify. */
    public int[] inputs() {
        return inputs;
    }

    /** Targets (the next token), time-major: {@code targets()[t*B + b]}; length {@code T*B}. Do not modify. */
    public int[] targets() {
        return targets;
    }

    /** The input at step {@code t} of stream {@code b}. */
    public int input(int t, int b) {
        return inputs[t * batchSize + b];
    }

    /** The target at step {@code t} of stream {@code b}. */
    public int target(int t, int b) {
        return targets[t * batchSize + b];
    }

    /** {@code T}, this window's number of steps (the last window of an epoch may be shorter). */
    public int steps() {
        return steps;
    }

    /** {@code B}, the number of streams. */
    public int batchSize() {
        return batchSize;
    }

    /** The epoch this window belongs to, from 0 (always 0 for {@link SequentialWindows}). */
    public int epoch() {
        return epoch;
    }

    /** The window's index within its epoch, from 0. */
    public int index() {
        return index;
    }

    /** The step, within each stream, of this window's first step. */
    public int firstStep() {
        return firstStep;
    }

    /**
     * Whether this window starts its streams afresh (index 0): the caller should zero the hidden state
     * before it. Otherwise each stream continues where the previous window stopped, and the state
     * should be carried over.
     */
    public boolean startsEpoch() {
        return index == 0;
    }

    @Override
    public String toString() {
        return "Window[epoch " + epoch + ", index " + index + ", steps " + steps + ", batch " + batchSize + "]";
    }
}
