package org.rnn4j.diag;

import java.util.Arrays;
import java.util.Objects;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.model.SequenceBatch;
import org.rnn4j.model.SequenceModel;

/**
 * A recurrent stack re-run in double on one batch, keeping every step of every layer, with the gradient
 * of a loss at every state: the raw material of {@link GradientFlow}, {@link JacobianNorms},
 * {@link Saturation} and {@link PascanuRegularizer}. The parameters are copied when the probe is built,
 * so the model may go on training; dropout is not applied (the probe sees the inference network).
 *
 * <p>Notation (per sequence b, layer ℓ, 0 ≤ t &lt; len_b): s_t is the state after step t, (h_t) for RNN
 * and GRU, ([h_t | c_t]) for LSTM; s_{−1} is the initial state. The loss gradient at a state is
 * <pre>
 *   ∂L/∂s_t = ∂L/∂(output h_t, read by the loss or the layer above)  +  (∂L/∂s_{t+1}) J_{t+1}
 * </pre>
 * i.e. the gradient a perturbation of s_t would see when the network is re-run from there (the
 * {@code dh_t} of the layers' backward passes), with J_{t+1} = ∂s_{t+1}/∂s_t. Sequences run for their own
 * length only: padding never enters.
 *
 * <p>Bidirectional stacks are not supported (their time has two directions); read their recurrent
 * matrices with {@link Spectra}.
 */
public final class StackProbe {
    private final Cell[] cells;         // per layer
    private final int steps;            // T
    private final int batch;            // B
    private final int[] lengths;        // per sequence
    private final CellStep[][][] trace; // [layer][b][t]
    private double[][][] outputGradient; // [b][t] ∂L/∂(top output h_t) (H), or null without a loss
    private double[][][] finalGradient;  // [layer][b] ∂L/∂(final state) (S) injected at len_b − 1, entries may be null
    private double loss = Double.NaN;
    // the backward pass, computed on first use
    private double[][][][] stateGradient; // [layer][b][t] (S)
    private double[][][] initialGradient; // [layer][b] (S)
    private double[][][] inputGradient;   // [b][t] (D)

    /** x: [b][t] (D) for t &lt; len_b; initial: [layer][b] (S). */
    StackProbe(Cell[] cells, double[][][] x, double[][][] initial, int steps, int[] lengths) {
        this.cells = cells;
        this.steps = steps;
        this.batch = lengths.length;
        this.lengths = lengths.clone();
        this.trace = new CellStep[cells.length][batch][];
        for (int b = 0; b < batch; b++) {
            double[][] in = x[b];
            for (int l = 0; l < cells.length; l++) {
                CellStep[] run = new CellStep[lengths[b]];
                double[] s = initial[l][b];
                double[][] out = new double[lengths[b]][];
                for (int t = 0; t < lengths[b]; t++) {
                    run[t] = cells[l].step(in[t], s);
                    s = run[t].state;
                    out[t] = Arrays.copyOf(s, cells[l].hiddenSize); // h_t feeds the layer above
                }
                trace[l][b] = run;
                in = out;
            }
        }
    }

    /** Builds a probe of any unidirectional stack from its first layer's input. */
    public static Builder builder(RecurrentStack stack) {
        return new Builder(stack);
    }

    /**
     * A language model on T steps of B sequences (time-major tokens and targets, negative target = none)
     * from {@code state} (null: the model's initial state), with the summed cross-entropy as the loss.
     */
    public static StackProbe of(LanguageModel model, int[] tokens, int[] targets, int steps, int batch,
                                RecurrentState state) {
        return ModelLoss.probe(model, tokens, targets, steps, batch, state);
    }

    /** A sequence model on a batch, from the model's initial state; with the model's loss when the batch has targets. */
    public static StackProbe of(SequenceModel model, SequenceBatch batch) {
        return ModelLoss.probe(model, batch);
    }

    /** Attaches a loss: its value and ∂L/∂(top output) [b][t] (H) and ∂L/∂(final state) [layer][b] (S). */
    void attachLoss(double value, double[][][] dOutput, double[][][] dFinal) {
        this.loss = value;
        this.outputGradient = dOutput;
        this.finalGradient = dFinal;
        this.stateGradient = null;
    }

    public CellType cell() {
        return cells[0].type;
    }

    public int numLayers() {
        return cells.length;
    }

    /** T, the longest sequence. */
    public int steps() {
        return steps;
    }

    public int batch() {
        return batch;
    }

    public int length(int b) {
        return lengths[b];
    }

    /** H of each layer. */
    public int hiddenSize() {
        return cells[0].hiddenSize;
    }

    /** S: H, or 2H for LSTM. */
    public int stateSize() {
        return cells[0].stateSize;
    }

    /** Whether a loss (and so its gradient) is attached. */
    public boolean hasLoss() {
        return outputGradient != null;
    }

    /** The loss of the batch, summed as the model sums it; NaN when none is attached or it was not given. */
    public double loss() {
        return loss;
    }

    /** s_t of sequence b in a layer, a copy; t = −1 gives the initial state. */
    public double[] state(int layer, int b, int t) {
        checkStep(b, t);
        CellStep[] run = trace[layer][b];
        return (t < 0 ? run[0].prev : run[t].state).clone();
    }

    /** ∂L/∂s_t of sequence b in a layer (see the class comment), a copy; t = −1 gives ∂L/∂s_{−1}. */
    public double[] stateGradient(int layer, int b, int t) {
        checkStep(b, t);
        requireLoss();
        backward();
        return (t < 0 ? initialGradient[layer][b] : stateGradient[layer][b][t]).clone();
    }

    /** ∂L/∂x (T·B × D) of the first layer's input, time-major; zero rows at padded steps. */
    public Matrix inputGradient() {
        requireLoss();
        backward();
        Matrix m = new Matrix(steps * batch, cells[0].inputSize);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                double[] g = inputGradient[b][t];
                for (int d = 0; d < g.length; d++) {
                    m.set(t * batch + b, d, (float) g[d]);
                }
            }
        }
        return m;
    }

    /**
     * J(t, k) = ∂s_t/∂s_k = J_t ⋯ J_{k+1} of sequence b in a layer, for −1 ≤ k &lt; t &lt; len_b, as an operator
     * (nothing is multiplied out); {@code part} chooses the full state or its h block.
     */
    public JacobianProduct jacobian(int layer, int b, int t, int k, JacobianProduct.Part part) {
        checkStep(b, t);
        if (k < -1 || k >= t) {
            throw new IllegalArgumentException("J(t, k) needs −1 ≤ k < t, got t=" + t + ", k=" + k);
        }
        return new JacobianProduct(cells[layer], trace[layer][b], k + 1, t, part);
    }

    Cell cellOf(int layer) {
        return cells[layer];
    }

    CellStep[] run(int layer, int b) {
        return trace[layer][b];
    }

    private void checkStep(int b, int t) {
        Objects.checkIndex(b, batch);
        if (t < -1 || t >= lengths[b]) {
            throw new IndexOutOfBoundsException("step " + t + " outside sequence " + b + " of length " + lengths[b]
                    + " (−1 is the initial state)");
        }
    }

    void requireLoss() {
        if (!hasLoss()) {
            throw new IllegalStateException("this probe has no loss attached: build it from a model and a batch with"
                    + " targets, or give the builder an output gradient");
        }
    }

    /** Visits ∂L_src/∂s of every layer from a source step back through at most maxLag steps. */
    interface LagVisitor {
        /** {@code lag} = t − k for the state s_k (k = −1 is the initial state). */
        void visit(int layer, int lag, double[] gradient);
    }

    /**
     * Back-propagates the loss terms of one step alone: the output gradient of sequence b at step t (plus
     * the final-state gradients when t is its last step) through lags 0 … maxLag, top layer first at each
     * step. Returns false, visiting nothing, when that source is zero.
     */
    boolean backwardFrom(int b, int t, int maxLag, LagVisitor visitor) {
        int layersN = cells.length;
        double[][] carry = new double[layersN][];
        boolean any = false;
        for (int l = 0; l < layersN; l++) {
            double[] f = t == lengths[b] - 1 && finalGradient != null ? finalGradient[l][b] : null;
            carry[l] = f == null ? new double[cells[l].stateSize] : f.clone();
            any |= Vectors.norm(carry[l]) > 0;
        }
        double[] source = outputGradient[b][t];
        any |= source != null && Vectors.norm(source) > 0;
        if (!any) {
            return false;
        }
        for (int j = t; j >= 0 && t - j <= maxLag; j--) {
            double[] fromAbove = j == t ? source : null;
            for (int l = layersN - 1; l >= 0; l--) {
                double[] u = withOutput(carry[l], fromAbove);
                visitor.visit(l, t - j, u);
                double[] dx = l > 0 ? new double[cells[l].inputSize] : null;
                carry[l] = new double[cells[l].stateSize];
                cells[l].vjp(trace[l][b][j], u, carry[l], dx);
                fromAbove = dx;
            }
        }
        if (t + 1 <= maxLag) { // the initial state s_{−1}
            for (int l = layersN - 1; l >= 0; l--) {
                visitor.visit(l, t + 1, carry[l]);
            }
        }
        return true;
    }

    /** The full backward pass: ∂L/∂s_t for every layer and step, ∂L/∂s_{−1} and ∂L/∂x. */
    private void backward() {
        if (stateGradient != null) {
            return;
        }
        int layersN = cells.length;
        stateGradient = new double[layersN][batch][][];
        initialGradient = new double[layersN][batch][];
        inputGradient = new double[batch][][];
        for (int b = 0; b < batch; b++) {
            int len = lengths[b];
            double[][] carry = new double[layersN][];
            for (int l = 0; l < layersN; l++) {
                double[] f = finalGradient == null ? null : finalGradient[l][b];
                carry[l] = f == null ? new double[cells[l].stateSize] : f.clone();
                stateGradient[l][b] = new double[len][];
            }
            inputGradient[b] = new double[len][];
            for (int t = len - 1; t >= 0; t--) {
                double[] fromAbove = outputGradient[b][t];
                for (int l = layersN - 1; l >= 0; l--) {
                    double[] u = withOutput(carry[l], fromAbove); // ∂L/∂s_t
                    stateGradient[l][b][t] = u;
                    double[] dx = new double[cells[l].inputSize];
                    carry[l] = new double[cells[l].stateSize];
                    cells[l].vjp(trace[l][b][t], u, carry[l], dx);
                    fromAbove = dx;
                }
                inputGradient[b][t] = fromAbove;
            }
            for (int l = 0; l < layersN; l++) {
                initialGradient[l][b] = carry[l];
            }
        }
    }

    /** carry + [dOut | 0]: the output gradient enters the h part of the state. */
    private static double[] withOutput(double[] carry, double[] dOut) {
        double[] u = carry.clone();
        if (dOut != null) {
            for (int k = 0; k < dOut.length; k++) {
                u[k] += dOut[k];
            }
        }
        return u;
    }

    /**
     * A probe of a stack from its first layer's input. {@link #input} is required; the initial state
     * defaults to the stack's ({@link RecurrentStack#newState}: zeros or learned), the lengths to T for
     * every sequence. Without an output gradient the probe has no loss (Jacobians, saturation only).
     */
    public static final class Builder {
        private final RecurrentStack stack;
        private Matrix input;
        private int steps;
        private int batch;
        private int[] lengths;
        private RecurrentState initialState;
        private Matrix outputGradient;
        private RecurrentState finalGradient;
        private double loss = Double.NaN;

        private Builder(RecurrentStack stack) {
            this.stack = Objects.requireNonNull(stack, "stack");
        }

        /** The first layer's input, (T·B × D) time-major. */
        public Builder input(Matrix x, int steps, int batch) {
            this.input = x;
            this.steps = steps;
            this.batch = batch;
            return this;
        }

        /** Real steps per sequence (1 ≤ len ≤ T); the rest is padding and is not run. */
        public Builder lengths(int[] v) {
            lengths = v.clone();
            return this;
        }

        public Builder initialState(RecurrentState v) {
            initialState = v;
            return this;
        }

        /** ∂L/∂(top layer output), (T·B × H) time-major. */
        public Builder outputGradient(Matrix v) {
            outputGradient = v;
            return this;
        }

        /** ∂L/∂(final state) per layer (B × S), injected at each sequence's last step; needs an output gradient. */
        public Builder finalStateGradient(RecurrentState v) {
            finalGradient = v;
            return this;
        }

        /** The value of the loss, for reports only. */
        public Builder loss(double v) {
            loss = v;
            return this;
        }

        public StackProbe build() {
            if (input == null) {
                throw new IllegalArgumentException("a probe needs the first layer's input: call input(x, steps, batch)");
            }
            if (steps < 1 || batch < 1) {
                throw new IllegalArgumentException("steps and batch must be positive, got T=" + steps + ", B=" + batch);
            }
            int d = stack.layer(0).inputSize();
            input.requireShape(steps * batch, d, "probe input (T·B × D) with T=" + steps + ", B=" + batch);
            int[] len = lengths == null ? ProbeInputs.filled(batch, steps) : lengths;
            if (len.length != batch) {
                throw new IllegalArgumentException(len.length + " lengths given for a batch of " + batch);
            }
            for (int b = 0; b < batch; b++) {
                if (len[b] < 1 || len[b] > steps) {
                    throw new IllegalArgumentException("sequence " + b + " has length " + len[b] + ", outside 1.." + steps);
                }
            }
            if (finalGradient != null && outputGradient == null) {
                throw new IllegalArgumentException("a final-state gradient needs an output gradient too (zeros if the"
                        + " loss reads no output)");
            }
            RecurrentState s0 = initialState == null ? stack.newState(batch) : initialState;
            StackProbe probe = new StackProbe(ProbeInputs.cells(stack), ProbeInputs.rows(input, steps, batch, len),
                    ProbeInputs.perLayer(s0, stack, batch),
                    steps, len);
            if (outputGradient != null) {
                int h = stack.outputSize();
                outputGradient.requireShape(steps * batch, h, "output gradient (T·B × H)");
                double[][][] dOut = ProbeInputs.rows(outputGradient, steps, batch, len);
                double[][][] dFinal = finalGradient == null ? null : ProbeInputs.perLayer(finalGradient, stack, batch);
                probe.attachLoss(loss, dOut, dFinal);
            }
            return probe;
        }
    }
}
