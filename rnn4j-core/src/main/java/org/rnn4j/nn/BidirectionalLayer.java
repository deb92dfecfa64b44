package org.rnn4j.nn;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;

/**
 * Two recurrent layers over the same input, one reading t = 0 … T−1 and one reading t = T−1 … 0, as
 * PyTorch's {@code bidirectional=True} (Schuster and Paliwal 1997):
 * <pre>
 *   y_t = [ fwd(x_0 … x_t) | rev(x_T−1 … x_t) ]          (T·B × 2H)
 *   state = [ fwd state | rev state ]                   (B × 2S)
 * </pre>
 * The reverse direction's final state is the one after it has read x_0 (PyTorch's {@code h_n} for the
 * {@code _reverse} direction). Its parameters are named with the suffix {@code _reverse}. With sequence
 * lengths, the reverse direction reads each sequence from its own last real step, so padding never
 * reaches it (as PyTorch's packed sequences).
 */
public final class BidirectionalLayer implements RecurrentLayer {
    private final RecurrentLayer forward;
    private final RecurrentLayer reverse;
    private final StepBuffers buf = new StepBuffers();
    private Matrix xRev;     // (T·B, D) input with the steps reversed
    private Matrix y;        // (T·B, 2H)
    private Matrix hrOrdered; // (T·B, H) reverse outputs in input order
    private Matrix dOutFwd;  // (T·B, H)
    private Matrix dOutRev;  // (T·B, H), steps reversed
    private Matrix dX;       // (T·B, D)
    private Matrix s0Fwd;    // (B, S)
    private Matrix s0Rev;
    private Matrix dFinalFwd;
    private Matrix dFinalRev;
    private Matrix finalState;  // (B, 2S)
    private Matrix dState0;     // (B, 2S)
    private int[] lengths;
    private int steps;
    private int batch;
    private boolean forwardDone;
    private boolean backwardDone;

    public BidirectionalLayer(RecurrentLayer forward, RecurrentLayer reverse) {
        if (forward.inputSize() != reverse.inputSize() || forward.hiddenSize() != reverse.hiddenSize()
                || forward.stateSize() != reverse.stateSize()) {
            throw new IllegalArgumentException("the two directions of a bidirectional layer must have the same sizes");
        }
        this.forward = forward;
        this.reverse = reverse;
    }

    public RecurrentLayer forwardDirection() {
        return forward;
    }

    public RecurrentLayer reverseDirection() {
        return reverse;
    }

    @Override
    public int inputSize() {
        return forward.inputSize();
    }

    /** The width of the output, 2H: both directions side by side. */
    @Override
    public int hiddenSize() {
        return 2 * forward.hiddenSize();
    }

    @Override
    public int stateSize() {
        return 2 * forward.stateSize();
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(forward.parameters());
        ps.addAll(reverse.parameters());
        return ps;
    }

    @Override
    public Matrix forward(Matrix x, int steps, int batch, Matrix state0, int[] lengths) {
        this.lengths = SequenceLengths.check(lengths, steps, batch);
        int n = steps * batch;
        int d = inputSize();
        int h = forward.hiddenSize();
        int s = forward.stateSize();
        x.requireShape(n, d, "bidirectional layer input (T·B × D)");
        state0.requireShape(batch, 2 * s, "bidirectional layer initial state (B × 2S)");
        this.steps = steps;
        this.batch = batch;
        xRev = buf.matrix("xRev", n, d);
        SequenceLengths.reverse(x, xRev, this.lengths, steps, batch);
        s0Fwd = buf.matrix("s0Fwd", batch, s);
        s0Rev = buf.matrix("s0Rev", batch, s);
        splitColumns(state0, s0Fwd, s0Rev);
        Matrix hf = forward.forward(x, steps, batch, s0Fwd, this.lengths);
        Matrix hr = reverse.forward(xRev, steps, batch, s0Rev, this.lengths);
        hrOrdered = buf.matrix("hrOrdered", n, h);
        SequenceLengths.reverse(hr, hrOrdered, this.lengths, steps, batch); // back into input order
        y = buf.matrix("y", n, 2 * h);
        joinColumns(hf, hrOrdered, y);
        finalState = buf.matrix("final", batch, 2 * s);
        joinColumns(forward.finalState(), reverse.finalState(), finalState);
        forwardDone = true;
        backwardDone = false;
        return y;
    }

    @Override
    public Matrix finalState() {
        requireForward("finalState()");
        return finalState;
    }

    /** Not available: after step t the reverse direction has read x_T−1 … x_t, not a prefix of the input. */
    @Override
    public void copyStateAfter(int t, Matrix out) {
        throw new UnsupportedOperationException("a bidirectional layer has no state after a prefix of its input");
    }

    @Override
    public Matrix backward(Matrix dOutput, Matrix dFinalState) {
        requireForward("backward()");
        int n = steps * batch;
        int h = forward.hiddenSize();
        int s = forward.stateSize();
        Matrix dF = null;
        Matrix dR = null;
        if (dOutput != null) {
            dOutput.requireShape(n, 2 * h, "gradient of the bidirectional output (T·B × 2H)");
            dOutFwd = buf.matrix("dOutFwd", n, h);
            dOutRev = buf.matrix("dOutRev", n, h);
            Matrix dRevOrdered = buf.matrix("dRevOrdered", n, h);
            splitColumns(dOutput, dOutFwd, dRevOrdered);
            SequenceLengths.reverse(dRevOrdered, dOutRev, lengths, steps, batch); // into the reverse direction's order
            dF = dOutFwd;
            dR = dOutRev;
        }
        Matrix dSf = null;
        Matrix dSr = null;
        if (dFinalState != null) {
            dFinalState.requireShape(batch, 2 * s, "gradient of the bidirectional final state (B × 2S)");
            dFinalFwd = buf.matrix("dFinalFwd", batch, s);
            dFinalRev = buf.matrix("dFinalRev", batch, s);
            splitColumns(dFinalState, dFinalFwd, dFinalRev);
            dSf = dFinalFwd;
            dSr = dFinalRev;
        }
        Matrix dXf = forward.backward(dF, dSf);
        Matrix dXr = reverse.backward(dR, dSr);
        dX = buf.matrix("dX", n, inputSize());
        SequenceLengths.reverse(dXr, dX, lengths, steps, batch); // the reverse direction saw the steps backwards
        Kernels.addInPlace(dX, dXf);
        dState0 = buf.matrix("dState0", batch, 2 * s);
        joinColumns(forward.initialStateGradient(), reverse.initialStateGradient(), dState0);
        backwardDone = true;
        return dX;
    }

    @Override
    public Matrix initialStateGradient() {
        if (!backwardDone) {
            throw new IllegalStateException("initialStateGradient() called before backward(): run forward and"
                    + " backward on a batch first");
        }
        return dState0;
    }

    /** Not available: the reverse direction needs the whole sequence before its first output. */
    @Override
    public Matrix step(Matrix x, Matrix state) {
        throw new UnsupportedOperationException("a bidirectional layer cannot run step by step: its reverse direction "
                + "needs the whole sequence; use forward() on the full sequence");
    }

    /** [left | right] = whole, column-wise. */
    private static void splitColumns(Matrix whole, Matrix left, Matrix right) {
        int lc = left.cols;
        int rc = right.cols;
        for (int r = 0; r < whole.rows; r++) {
            int base = whole.offset + r * whole.cols;
            System.arraycopy(whole.data, base, left.data, left.offset + r * lc, lc);
            System.arraycopy(whole.data, base + lc, right.data, right.offset + r * rc, rc);
        }
    }

    private static void joinColumns(Matrix left, Matrix right, Matrix whole) {
        int lc = left.cols;
        int rc = right.cols;
        for (int r = 0; r < whole.rows; r++) {
            int base = whole.offset + r * whole.cols;
            System.arraycopy(left.data, left.offset + r * lc, whole.data, base, lc);
            System.arraycopy(right.data, right.offset + r * rc, whole.data, base + lc, rc);
        }
    }

    private void requireForward(String call) {
        if (!forwardDone) {
            throw new IllegalStateException(call + " called before forward(): run forward on a batch first");
        }
    }
}
