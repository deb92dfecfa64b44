package org.rnn4j.model;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.BidirectionalLayer;
import org.rnn4j.nn.CheckpointedLayer;
import org.rnn4j.nn.ElmanLayer;
import org.rnn4j.nn.GruLayer;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.LstmLayer;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.RecurrentLayer;
import org.rnn4j.nn.Stepper;

/**
 * L recurrent layers of one cell type, layer k reading layer k−1's outputs, as PyTorch's {@code nn.RNN},
 * {@code nn.LSTM} and {@code nn.GRU} with {@code num_layers=L}, optional {@code bidirectional=True} and
 * {@code dropout=p} (inverted dropout on the outputs of every layer but the last, in training only).
 *
 * <p>Parameters are named {@code rnn.weight_ih_l{k}[_reverse]} etc. A learned initial state adds
 * {@code rnn.h0_l{k}[_reverse]} (and {@code rnn.c0_l{k}[_reverse]} for LSTM) of shape (H), shared by every
 * sequence of a batch. The state of layer k is one (B × S) matrix: S = H ({@code h}) for RNN and GRU,
 * 2H ({@code [h | c]}) for LSTM, doubled as {@code [forward | reverse]} when bidirectional.
 *
 * <p>Gradient checkpointing ({@link Builder#checkpointEvery}, {@link #setCheckpointEvery}) runs every layer
 * (each direction of a bidirectional one) through a {@link CheckpointedLayer}: activations are kept for k
 * steps at a time and recomputed in backward. It is a runtime option, not part of the model: parameters,
 * names and files are the same with or without it, and results agree to float rounding.
 */
public final class RecurrentStack {
    public static final String PREFIX = "rnn.";
    /** {@link Builder#checkpointEvery} value that keeps every activation (no recomputation). */
    public static final int NO_CHECKPOINTING = 0;

    private final CellType cell;
    private final boolean bidirectional;
    private final float dropout;
    private final RecurrentLayer[] layers; // the cells, as built
    private final RecurrentLayer[] runs;   // what forward and backward go through: layers[k] or its checkpointed form
    private int checkpointEvery;
    private final List<List<Parameter>> learnedInit; // per layer, in state column order; null if not learned
    private final RecurrentState gradInit;
    private final Matrix[] dropMasks; // per boundary k (after layer k < L−1), (T·B × width), already scaled
    private final Matrix[] dropped;   // per boundary, the masked outputs fed to layer k+1
    private boolean startedFromInitial;
    private boolean droppedOut;
    private int batch;

    private RecurrentStack(Builder b) {
        this.cell = b.cell;
        this.bidirectional = b.bidirectional;
        this.dropout = b.dropout;
        int dirs = bidirectional ? 2 : 1;
        this.layers = new RecurrentLayer[b.numLayers];
        for (int k = 0; k < b.numLayers; k++) {
            int in = k == 0 ? b.inputSize : dirs * b.hiddenSize;
            RecurrentLayer fwd = cellLayer(b, k, "", in);
            layers[k] = bidirectional ? new BidirectionalLayer(fwd, cellLayer(b, k, "_reverse", in)) : fwd;
        }
        if (b.learnedInitialState) {
            learnedInit = new ArrayList<>();
            for (int k = 0; k < b.numLayers; k++) {
                List<Parameter> ps = new ArrayList<>();
                for (String suffix : bidirectional ? new String[] {"", "_reverse"} : new String[] {""}) {
                    ps.add(Parameter.vector(PREFIX + "h0_l" + k + suffix, b.hiddenSize));
                    if (cell == CellType.LSTM) {
                        ps.add(Parameter.vector(PREFIX + "c0_l" + k + suffix, b.hiddenSize));
                    }
                }
                learnedInit.add(ps);
            }
        } else {
            learnedInit = null;
        }
        this.runs = layers.clone();
        setCheckpointEvery(b.checkpointEvery);
        this.gradInit = new RecurrentState(new Matrix[b.numLayers], false);
        this.dropMasks = new Matrix[Math.max(0, b.numLayers - 1)];
        this.dropped = new Matrix[dropMasks.length];
    }

    private static RecurrentLayer cellLayer(Builder b, int k, String suffix, int in) {
        return switch (b.cell) {
            case RNN -> new ElmanLayer(PREFIX, k, suffix, in, b.hiddenSize, b.nonlinearity);
            case LSTM -> new LstmLayer(PREFIX, k, suffix, in, b.hiddenSize);
            case GRU -> new GruLayer(PREFIX, k, suffix, in, b.hiddenSize);
        };
    }

    public static Builder builder(CellType cell, int inputSize, int hiddenSize) {
        return new Builder(cell, inputSize, hiddenSize);
    }

    /** The stack a model config describes. */
    public static RecurrentStack of(ModelConfig c) {
        Builder b = builder(c.cell(), c.inputSize(), c.hiddenSize()).nonlinearity(c.nonlinearity())
                .numLayers(c.numLayers()).dropout(c.dropout());
        if (c.bidirectional()) {
            b.bidirectional();
        }
        if (c.learnedInitialState()) {
            b.learnedInitialState();
        }
        return b.build();
    }

    public CellType cell() {
        return cell;
    }

    /**
     * Recompute activations in backward, keeping them for only {@code k} steps at a time (k ≥ 1), or keep
     * them all ({@link #NO_CHECKPOINTING}). Takes effect at the next forward; call it between a backward and
     * the next forward, not in between. Memory for activations then scales with k instead of T, at the cost
     * of one extra forward pass.
     */
    public void setCheckpointEvery(int k) {
        checkCheckpointEvery(k);
        for (int i = 0; i < layers.length; i++) {
            RecurrentLayer l = layers[i];
            if (k == NO_CHECKPOINTING) {
                runs[i] = l;
            } else if (l instanceof BidirectionalLayer bi) { // each direction reads a prefix of its own input
                runs[i] = new BidirectionalLayer(new CheckpointedLayer(bi.forwardDirection(), k),
                        new CheckpointedLayer(bi.reverseDirection(), k));
            } else {
                runs[i] = new CheckpointedLayer(l, k);
            }
        }
        checkpointEvery = k;
    }

    /** Steps per checkpointed chunk, or {@link #NO_CHECKPOINTING}. */
    public int checkpointEvery() {
        return checkpointEvery;
    }

    private static void checkCheckpointEvery(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("checkpoint every k steps needs k >= 1 (or " + NO_CHECKPOINTING
                    + " to keep every activation), got " + k);
        }
    }

    public boolean bidirectional() {
        return bidirectional;
    }

    public int numLayers() {
        return layers.length;
    }

    /**
     * Layer k's cell (or bidirectional pair) as built, for its parameters and sizes. With checkpointing,
     * the stack's forward and backward run through a {@link CheckpointedLayer} around it, so the cell's own
     * caches then hold one chunk only: take states and gradients from the stack.
     */
    public RecurrentLayer layer(int k) {
        return layers[k];
    }

    /** The width of the top layer's output: H, or 2H when bidirectional. */
    public int outputSize() {
        return layers[layers.length - 1].hiddenSize();
    }

    /** All parameters: each layer's (forward direction, then reverse), then the learned initial states. */
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (RecurrentLayer l : layers) {
            ps.addAll(l.parameters());
        }
        if (learnedInit != null) {
            learnedInit.forEach(ps::addAll);
        }
        return ps;
    }

    /**
     * PyTorch's initialisation (every weight and bias U(−1/√H, 1/√H)), then the recurrent recipe applied
     * to each H×H gate block of every W_hh. Learned initial states start at zero.
     */
    public void initialize(Init.RecurrentInit recurrentInit, Rng rng) {
        int h = hiddenSize();
        float bound = (float) (1.0 / Math.sqrt(h));
        for (RecurrentLayer l : layers) {
            for (Parameter p : l.parameters()) {
                Init.uniform(p.value, bound, rng);
                if (p.name().contains("weight_hh")) {
                    for (int g = 0; g < p.value.rows / h; g++) {
                        Init.recurrent(p.value, g * h, h, recurrentInit, rng);
                    }
                }
            }
        }
        if (learnedInit != null) {
            learnedInit.forEach(ps -> ps.forEach(p -> p.value.zero()));
        }
    }

    /**
     * Sets every LSTM forget gate's bias to {@code value} (b_if = value, b_hf = 0), the common remedy
     * (Gers et al. 2000; Jozefowicz et al. 2015) that keeps the cell's memory open at the start.
     */
    public void setForgetGateBias(float value) {
        if (cell != CellType.LSTM) {
            throw new IllegalArgumentException("a forget-gate bias needs an LSTM, not " + cell.id());
        }
        for (RecurrentLayer l : layers) {
            if (l instanceof BidirectionalLayer bi) {
                ((LstmLayer) bi.forwardDirection()).setForgetGateBias(value);
                ((LstmLayer) bi.reverseDirection()).setForgetGateBias(value);
            } else {
                ((LstmLayer) l).setForgetGateBias(value);
            }
        }
    }

    /** H of one direction of one layer. */
    public int hiddenSize() {
        return bidirectional ? layers[0].hiddenSize() / 2 : layers[0].hiddenSize();
    }

    /** The initial state for B sequences: zeros, or the learned state in every row. Marked initial. */
    public RecurrentState newState(int batch) {
        Matrix[] m = new Matrix[layers.length];
        for (int k = 0; k < layers.length; k++) {
            m[k] = new Matrix(batch, layers[k].stateSize());
        }
        RecurrentState s = new RecurrentState(m, true);
        reset(s);
        return s;
    }

    /** Sets a state back to the initial state (zeros or learned) and marks it initial. */
    public void reset(RecurrentState s) {
        for (int k = 0; k < layers.length; k++) {
            Matrix m = s.layers[k];
            if (learnedInit == null) {
                m.zero();
            } else {
                for (int b = 0; b < m.rows; b++) {
                    int col = 0;
                    for (Parameter p : learnedInit.get(k)) {
                        System.arraycopy(p.value.data, p.value.offset, m.data, m.offset + b * m.cols + col, p.size());
                        col += p.size();
                    }
                }
            }
        }
        s.initial = true;
    }

    /** Inference: runs all layers without dropout. See {@link #forward(Matrix, int, int, RecurrentState, Rng)}. */
    public Matrix forward(Matrix x, int steps, int batch, RecurrentState state) {
        return forward(x, steps, batch, state, null);
    }

    /**
     * Runs all layers over x (T·B × D) from {@code state}, which is then overwritten with the final state
     * (values only: gradient does not flow into the next window). With a {@code dropoutRng} (training)
     * and a dropout probability p &gt; 0, each output between layers is multiplied by a fresh mask of
     * 0 or 1/(1−p). Returns the top layer's outputs (T·B × outputSize()), owned by that layer.
     */
    public Matrix forward(Matrix x, int steps, int batch, RecurrentState state, Rng dropoutRng) {
        return forward(x, steps, batch, state, dropoutRng, null);
    }

    /**
     * As {@link #forward(Matrix, int, int, RecurrentState, Rng)} for sequences of the given lengths (null:
     * all T): each sequence's final state is taken at its own last step, the reverse direction of a
     * bidirectional layer starts there, and {@link #backward} injects final-state gradients there. Outputs
     * at padded steps are computed but meaningless; give them zero gradient.
     */
    public Matrix forward(Matrix x, int steps, int batch, RecurrentState state, Rng dropoutRng, int[] lengths) {
        checkState(state, batch);
        startedFromInitial = state.initial;
        this.batch = batch;
        droppedOut = dropoutRng != null && dropout > 0f;
        Matrix in = x;
        for (int k = 0; k < layers.length; k++) {
            in = runs[k].forward(in, steps, batch, state.layers[k], lengths);
            if (droppedOut && k < layers.length - 1) {
                in = applyDropout(k, in, dropoutRng);
            }
        }
        for (int k = 0; k < layers.length; k++) {
            state.layers[k].copyFrom(runs[k].finalState());
        }
        state.initial = false;
        return in;
    }

    /**
     * Writes into {@code out} the state after step {@code t} of the last forward pass (values only), e.g.
     * where the next overlapping window of truncated BPTT starts.
     */
    public void copyStateAfter(int t, RecurrentState out) {
        checkState(out, batch);
        for (int k = 0; k < layers.length; k++) {
            runs[k].copyStateAfter(t, out.layers[k]);
        }
        out.initial = false;
    }

    private Matrix applyDropout(int k, Matrix h, Rng rng) {
        dropMasks[k] = resize(dropMasks[k], h.rows, h.cols);
        dropped[k] = resize(dropped[k], h.rows, h.cols);
        float keep = 1f / (1f - dropout);
        Matrix mask = dropMasks[k];
        Matrix out = dropped[k];
        for (int i = 0; i < h.size(); i++) {
            float m = rng.nextDouble() < dropout ? 0f : keep; // inverted dropout: E[m] = 1
            mask.data[i] = m;
            out.data[i] = h.data[h.offset + i] * m;
        }
        return out;
    }

    /**
     * Back-propagates ∂L/∂(top outputs) through all layers; {@code dFinal} (per layer (B × S)) is the
     * gradient of the final state, or null for none. Adds parameter gradients (including the learned
     * initial state when the forward pass started from it) and returns ∂L/∂x (T·B × D).
     */
    public Matrix backward(Matrix dTop, RecurrentState dFinal) {
        Matrix d = dTop;
        for (int k = layers.length - 1; k >= 0; k--) {
            if (droppedOut && k < layers.length - 1) {
                Matrix mask = dropMasks[k];
                for (int i = 0; i < d.size(); i++) {
                    d.data[d.offset + i] *= mask.data[i]; // y = h ⊙ m  =>  dh = dy ⊙ m
                }
            }
            d = runs[k].backward(d, dFinal == null ? null : dFinal.layers[k]);
            gradInit.layers[k] = runs[k].initialStateGradient();
        }
        if (learnedInit != null && startedFromInitial) {
            for (int k = 0; k < layers.length; k++) {
                Matrix g = gradInit.layers[k];
                int col = 0;
                for (Parameter p : learnedInit.get(k)) {
                    float[] acc = p.grad.data;
                    for (int b = 0; b < batch; b++) {
                        for (int c = 0; c < p.size(); c++) {
                            acc[p.grad.offset + c] += g.data[g.offset + b * g.cols + col + c]; // shared by the batch
                        }
                    }
                    col += p.size();
                }
            }
        }
        return d;
    }

    /** ∂L/∂(initial state) of the last backward pass, per layer (B × S); views owned by the layers. */
    public RecurrentState initialStateGradient() {
        return gradInit;
    }

    /** One step of every layer for generation (no dropout); {@code state} is updated in place. Returns the top h. */
    public Matrix step(Matrix x, RecurrentState state) {
        checkState(state, state.batch());
        Matrix in = x;
        for (int k = 0; k < layers.length; k++) {
            in = layers[k].step(in, state.layers[k]);
        }
        state.initial = false;
        return in;
    }

    /**
     * Steps every layer for generation over the weights as they are now: layers with a fast path pack
     * their weights once (see {@link Stepper}), so make a new one after the weights change. If
     * {@code inputTable} is not null, it holds every input the caller will feed to the first layer, one
     * per row, and {@link Steps#stepRows} feeds rows of it.
     */
    public Steps stepper(Matrix inputTable) {
        Stepper[] s = new Stepper[layers.length];
        for (int k = 0; k < layers.length; k++) {
            s[k] = layers[k].stepper(k == 0 ? inputTable : null);
        }
        return new Steps(s);
    }

    /** The layers' {@link Stepper}s in order, from {@link #stepper(Matrix)}. */
    public final class Steps {
        private final Stepper[] steppers;

        private Steps(Stepper[] steppers) {
            this.steppers = steppers;
        }

        /** As {@link RecurrentStack#step}: x (B × D) in, the top h (B × H) out; the state is updated in place. */
        public Matrix step(Matrix x, RecurrentState state) {
            checkState(state, state.batch());
            return rest(steppers[0].step(x, state.layers[0]), state);
        }

        /** A step whose first-layer input for sequence b is row {@code rows[b]} of the input table. */
        public Matrix stepRows(int[] rows, RecurrentState state) {
            checkState(state, state.batch());
            if (rows.length != state.batch()) {
                throw new IllegalArgumentException(rows.length + " input rows given for a state of batch " + state.batch());
            }
            return rest(steppers[0].stepRows(rows, state.layers[0]), state);
        }

        private Matrix rest(Matrix in, RecurrentState state) {
            for (int k = 1; k < steppers.length; k++) {
                in = steppers[k].step(in, state.layers[k]);
            }
            state.initial = false;
            return in;
        }
    }

    private void checkState(RecurrentState s, int batch) {
        if (s.layers.length != layers.length) {
            throw new IllegalArgumentException("state has " + s.layers.length + " layers but the model has " + layers.length);
        }
        for (int k = 0; k < layers.length; k++) {
            s.layers[k].requireShape(batch, layers[k].stateSize(), "state of layer " + k);
        }
    }

    private static Matrix resize(Matrix m, int rows, int cols) {
        return m != null && m.rows == rows && m.cols == cols ? m : new Matrix(rows, cols);
    }

    /** Builds a stack; {@link #build()} checks the invariants. */
    public static final class Builder {
        private final CellType cell;
        private final int inputSize;
        private final int hiddenSize;
        private Activation nonlinearity = ModelConfig.DEFAULT_NONLINEARITY;
        private int numLayers = 1;
        private boolean bidirectional;
        private float dropout;
        private boolean learnedInitialState;
        private int checkpointEvery = NO_CHECKPOINTING;

        private Builder(CellType cell, int inputSize, int hiddenSize) {
            this.cell = cell;
            this.inputSize = inputSize;
            this.hiddenSize = hiddenSize;
        }

        /** The Elman layer's f; LSTM and GRU have fixed nonlinearities and ignore it. */
        public Builder nonlinearity(Activation v) {
            nonlinearity = v;
            return this;
        }

        public Builder numLayers(int v) {
            numLayers = v;
            return this;
        }

        public Builder bidirectional() {
            bidirectional = true;
            return this;
        }

        public Builder dropout(float v) {
            dropout = v;
            return this;
        }

        public Builder learnedInitialState() {
            learnedInitialState = true;
            return this;
        }

        /**
         * Gradient checkpointing: keep activations for {@code k} steps at a time and recompute them in
         * backward (k ≥ 1; {@link #NO_CHECKPOINTING}, the default, keeps them all). See {@link CheckpointedLayer}.
         */
        public Builder checkpointEvery(int k) {
            checkpointEvery = k;
            return this;
        }

        public RecurrentStack build() {
            if (cell == null || nonlinearity == null) {
                throw new IllegalArgumentException("cell and nonlinearity are required");
            }
            if (inputSize < 1 || hiddenSize < 1 || numLayers < 1) {
                throw new IllegalArgumentException("input size, hidden size and layers must be positive, got "
                        + inputSize + ", " + hiddenSize + ", " + numLayers);
            }
            if (!(dropout >= 0f && dropout < 1f)) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
            checkCheckpointEvery(checkpointEvery);
            return new RecurrentStack(this);
        }
    }
}
