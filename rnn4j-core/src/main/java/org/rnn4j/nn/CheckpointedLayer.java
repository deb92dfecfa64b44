package org.rnn4j.nn;

import java.util.List;
import java.util.Objects;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;

/**
 * Gradient checkpointing over time (Chen et al. 2016, "Training deep nets with sublinear memory cost";
 * Gruslys et al. 2016, "Memory-efficient backpropagation through time"): runs a recurrent layer over
 * chunks of k steps and keeps only the state at each chunk boundary, instead of every step's gates and
 * cell values. Backward re-runs each chunk's forward from its boundary state and back-propagates it:
 * <pre>
 *   forward:   s_0 = state0;  for chunk c = 0 … C−1:  y[c] = inner(x[c], s_c),  s_{c+1} = state after y[c]
 *   backward:  g = dFinalState;  for c = C−1 … 0:  re-run inner(x[c], s_c);  dx[c], g = inner.backward(dy[c], g)
 * </pre>
 * where g is ∂L/∂s_{c+1} on the way in and ∂L/∂s_c on the way out (the inner layer's initial-state
 * gradient). The chunks chain exactly: outputs are the same up to the rounding of the input projection
 * (the matrix kernels may round a product over k·B rows differently from one over T·B), and gradients are
 * the same sums split by chunk, so both agree with the unchunked layer to float rounding. The activations held at once are one
 * chunk's (k·B rows) instead of T·B, plus the output y (T·B × H), the input gradient (T·B × D) and C
 * boundary states (B × S each); the cost is one extra forward of every chunk but the last (about 1.3× the
 * time of a training step). With k ≥ T there is one chunk and nothing is re-run.
 *
 * <p>Sequence lengths are supported exactly: a sequence ending in chunk c gets the chunk-local length
 * there (so the inner layer takes its final state and injects the final-state gradient at its own last
 * step), and every other sequence runs the whole chunk and receives the gradient carried from chunk c+1.
 * If a sequence ending in chunk c also has a non-zero carried gradient (only when its padded steps got
 * output gradient, which a loss mask prevents), a second backward pass over chunk c adds it.
 *
 * <p>Wrap each direction of a bidirectional layer, not the pair: the reverse direction does not read a
 * prefix of the input. The inner layer's caches are overwritten by this wrapper; use the wrapper only.
 */
public final class CheckpointedLayer implements RecurrentLayer {
    private final RecurrentLayer inner;
    private final int every; // k, steps per chunk
    private final StepBuffers buf = new StepBuffers();
    private Matrix x;          // (T·B, D) input of the last forward (not copied)
    private Matrix y;          // (T·B, H) outputs of every chunk
    private Matrix boundaries; // (C·B, S) block c holds the state before chunk c
    private Matrix last;       // (B, S) each sequence's final state
    private Matrix dX;         // (T·B, D)
    private Matrix carry;      // (B, S) ∂L/∂(state before the chunk just back-propagated)
    private Matrix dEnd;       // (B, S) gradient entering a chunk's backward as its dFinalState
    private Matrix dLeft;      // (B, S) carried gradient of sequences that ended inside the chunk
    private int[] lengths;     // per sequence, or null for all T
    private int[] chunkLengths; // scratch: chunk-local lengths
    private int steps;
    private int batch;
    private int chunks;
    private int innerHolds = -1; // the chunk whose full forward is in the inner layer's caches, or -1
    private boolean forwardDone;
    private boolean backwardDone;

    /**
     * @param inner a single-direction layer (RNN, LSTM, GRU)
     * @param every k, the steps per chunk (≥ 1); k ≥ T runs the layer unchunked
     */
    public CheckpointedLayer(RecurrentLayer inner, int every) {
        Objects.requireNonNull(inner, "inner layer");
        if (inner instanceof BidirectionalLayer) {
            throw new IllegalArgumentException("checkpoint each direction of a bidirectional layer, not the pair: "
                    + "new BidirectionalLayer(new CheckpointedLayer(fwd, k), new CheckpointedLayer(rev, k))");
        }
        if (every < 1) {
            throw new IllegalArgumentException("a checkpointed layer needs at least 1 step per chunk, got " + every);
        }
        this.inner = inner;
        this.every = every;
    }

    /** The wrapped layer (its caches belong to this wrapper while it is in use). */
    public RecurrentLayer inner() {
        return inner;
    }

    /** k, the steps per chunk. */
    public int every() {
        return every;
    }

    @Override
    public int inputSize() {
        return inner.inputSize();
    }

    @Override
    public int hiddenSize() {
        return inner.hiddenSize();
    }

    @Override
    public int stateSize() {
        return inner.stateSize();
    }

    @Override
    public List<Parameter> parameters() {
        return inner.parameters();
    }

    @Override
    public Matrix forward(Matrix input, int steps, int batch, Matrix state0, int[] lengths) {
        if (steps <= 0 || batch <= 0) {
            throw new IllegalArgumentException("steps and batch must be positive, got T=" + steps + ", B=" + batch);
        }
        this.lengths = SequenceLengths.check(lengths, steps, batch);
        int n = steps * batch;
        int s = stateSize();
        input.requireShape(n, inputSize(), "checkpointed layer input (T·B × D) with T=" + steps + ", B=" + batch);
        state0.requireShape(batch, s, "checkpointed layer initial state (B × S)");
        this.x = input;
        this.steps = steps;
        this.batch = batch;
        this.chunks = (steps + every - 1) / every;
        y = buf.matrix("y", n, hiddenSize());
        boundaries = buf.matrix("boundaries", chunks * batch, s);
        last = buf.matrix("last", batch, s);
        chunkLengths = this.lengths == null ? null : new int[batch];
        boundary(0).copyFrom(state0);
        for (int c = 0; c < chunks; c++) {
            Matrix out = runChunk(c);
            y.rows(c * every * batch, out.rows).copyFrom(out);
            if (c + 1 < chunks) {
                inner.copyStateAfter(chunkSteps(c) - 1, boundary(c + 1));
            }
            Matrix fin = inner.finalState();
            for (int b = 0; b < batch; b++) {
                if (endsIn(b, c)) { // the sequence's own last step is in this chunk
                    System.arraycopy(fin.data, fin.offset + b * s, last.data, last.offset + b * s, s);
                }
            }
        }
        forwardDone = true;
        backwardDone = false;
        return y;
    }

    /** Runs the inner layer over chunk c from its boundary state; its caches then hold chunk c. */
    private Matrix runChunk(int c) {
        int kc = chunkSteps(c);
        int t0 = c * every;
        Matrix out = inner.forward(x.rows(t0 * batch, kc * batch), kc, batch, boundary(c), localLengths(c));
        innerHolds = c;
        return out;
    }

    /** Chunk-local lengths: a sequence's own length where it ends in chunk c, else the whole chunk. */
    private int[] localLengths(int c) {
        if (lengths == null) {
            return null;
        }
        for (int b = 0; b < batch; b++) {
            chunkLengths[b] = endsIn(b, c) ? lengths[b] - c * every : chunkSteps(c);
        }
        return chunkLengths;
    }

    private boolean endsIn(int b, int c) {
        return SequenceLengths.lastStep(lengths, steps, b) / every == c;
    }

    private int chunkSteps(int c) {
        return Math.min(every, steps - c * every);
    }

    private Matrix boundary(int c) {
        return boundaries.rows(c * batch, batch);
    }

    @Override
    public Matrix finalState() {
        requireForward("finalState()");
        return last;
    }

    @Override
    public void copyStateAfter(int t, Matrix out) {
        requireForward("copyStateAfter()");
        Objects.checkIndex(t, steps);
        int c = t / every;
        int local = t - c * every;
        if (innerHolds != c && local == chunkSteps(c) - 1 && c + 1 < chunks) {
            out.requireShape(batch, stateSize(), "state (B × S)");
            out.copyFrom(boundary(c + 1)); // a chunk boundary is kept
            return;
        }
        if (innerHolds != c) {
            runChunk(c); // recompute the chunk from its boundary
        }
        inner.copyStateAfter(local, out);
    }

    @Override
    public Matrix backward(Matrix dOutput, Matrix dFinalState) {
        requireForward("backward()");
        int s = stateSize();
        if (dOutput != null) {
            dOutput.requireShape(steps * batch, hiddenSize(), "gradient of the checkpointed layer output (T·B × H)");
        }
        if (dFinalState != null) {
            dFinalState.requireShape(batch, s, "gradient of the checkpointed layer final state (B × S)");
        }
        dX = buf.matrix("dX", steps * batch, inputSize());
        carry = buf.matrix("carry", batch, s);
        dEnd = buf.matrix("dEnd", batch, s);
        dLeft = buf.matrix("dLeft", batch, s);
        for (int c = chunks - 1; c >= 0; c--) {
            int kc = chunkSteps(c);
            int t0 = c * every;
            if (innerHolds != c) {
                runChunk(c);
            }
            boolean later = c < chunks - 1; // a carried gradient from chunk c+1 exists
            Matrix dEndOrNull = endGradient(c, later, dFinalState);
            Matrix dOut = dOutput == null ? null : dOutput.rows(t0 * batch, kc * batch);
            Matrix dXc = inner.backward(dOut, dEndOrNull);
            Matrix dXSlice = dX.rows(t0 * batch, kc * batch);
            dXSlice.copyFrom(dXc);
            boolean leftover = later && lengths != null && leftoverCarry(c);
            carry.copyFrom(inner.initialStateGradient());
            if (leftover) { // gradient reaching the chunk's end in sequences that already ended: a second pass
                inner.forward(x.rows(t0 * batch, kc * batch), kc, batch, boundary(c), null);
                innerHolds = -1;
                Kernels.addInPlace(dXSlice, inner.backward(null, dLeft));
                Kernels.addInPlace(carry, inner.initialStateGradient());
            }
        }
        backwardDone = true;
        return dX;
    }

    /**
     * The gradient entering chunk c's backward as its final-state gradient (null for none): without lengths,
     * dFinalState at the last chunk and the carried gradient before it; with lengths, row b is dFinalState's
     * where sequence b ends in chunk c, and the carried gradient elsewhere.
     */
    private Matrix endGradient(int c, boolean later, Matrix dFinalState) {
        if (lengths == null) {
            if (!later) {
                return dFinalState;
            }
            dEnd.copyFrom(carry);
            return dEnd;
        }
        if (!later && dFinalState == null) {
            return null;
        }
        int s = stateSize();
        for (int b = 0; b < batch; b++) {
            int at = dEnd.offset + b * s;
            if (endsIn(b, c)) {
                if (dFinalState == null) {
                    java.util.Arrays.fill(dEnd.data, at, at + s, 0f);
                } else {
                    System.arraycopy(dFinalState.data, dFinalState.offset + b * s, dEnd.data, at, s);
                }
            } else if (later) {
                System.arraycopy(carry.data, carry.offset + b * s, dEnd.data, at, s);
            } else { // ended in an earlier chunk, nothing after this one
                java.util.Arrays.fill(dEnd.data, at, at + s, 0f);
            }
        }
        return dEnd;
    }

    /**
     * Fills dLeft with the carried gradient of the sequences that end inside chunk c (zero elsewhere) and
     * says whether any of it is non-zero. Read before the carry is overwritten.
     */
    private boolean leftoverCarry(int c) {
        int s = stateSize();
        boolean any = false;
        dLeft.zero();
        for (int b = 0; b < batch; b++) {
            if (!endsIn(b, c)) {
                continue;
            }
            int from = carry.offset + b * s;
            for (int j = 0; j < s; j++) {
                float g = carry.data[from + j];
                if (g != 0f) {
                    dLeft.data[dLeft.offset + b * s + j] = g;
                    any = true;
                }
            }
        }
        return any;
    }

    @Override
    public Matrix initialStateGradient() {
        if (!backwardDone) {
            throw new IllegalStateException("initialStateGradient() called before backward(): run forward and"
                    + " backward on a batch first");
        }
        return carry;
    }

    @Override
    public Matrix step(Matrix input, Matrix state) {
        return inner.step(input, state);
    }

    @Override
    public Stepper stepper(Matrix inputTable) {
        return inner.stepper(inputTable);
    }

    private void requireForward(String call) {
        if (!forwardDone) {
            throw new IllegalStateException(call + " called before forward(): run forward on a batch first");
        }
    }
}
