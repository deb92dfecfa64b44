package org.rnn4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.PackedMatrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Embedding;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Linear;
import org.rnn4j.nn.OneHot;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * A next-token model: embedding (or one-hot) → {@link RecurrentStack} → linear decoder → softmax.
 * <pre>
 *   x_t = E[token_t]  (or onehot(token_t)),   h_t = stack(x_t, h_{t-1}),   o_t = V h_t + c
 *   L   = Σ_t −ln softmax(o_t)[target_t]       (steps with a negative target are left out)
 * </pre>
 * It is the PyTorch module {@code embedding → rnn → decoder} with the same parameter names, so model
 * files move between the two unchanged. Batches are time-major: token {@code t·B + b} is step t of
 * sequence b.
 */
public final class LanguageModel {
    private final ModelConfig config;
    private final Embedding embedding; // null for one-hot inputs
    private final RecurrentStack rnn;
    private final Linear decoder;
    private final List<Parameter> parameters;
    private Matrix input;   // (T·B, D) one-hot buffer, or the embedding's output
    private Matrix logits;  // (T·B, V) of the last forward
    private Matrix stepInput; // (B, D) for step()
    private Matrix stepLogits; // (B, V) for step()
    private Rng dropoutRng = new Rng(0).split("dropout");
    private DataParallel parallel; // made at the first training pass split across threads

    public LanguageModel(ModelConfig config) {
        this.config = config;
        this.embedding = config.embeddingDim() > 0
                ? new Embedding("embedding.", config.vocabSize(), config.embeddingDim()) : null;
        if (config.bidirectional()) {
            throw new IllegalArgumentException("a language model cannot be bidirectional: its reverse direction would "
                    + "read the very tokens it must predict; use a bidirectional stack for tagging or classification");
        }
        this.rnn = RecurrentStack.of(config);
        this.decoder = new Linear("decoder.", config.hiddenSize(), config.vocabSize());
        List<Parameter> ps = new ArrayList<>();
        if (embedding != null) {
            ps.addAll(embedding.parameters());
        }
        ps.addAll(rnn.parameters());
        ps.addAll(decoder.parameters());
        this.parameters = Collections.unmodifiableList(ps);
    }

    /** A model initialised as PyTorch initialises the same module, with the given recurrent recipe. */
    public static LanguageModel create(ModelConfig config, Init.RecurrentInit recurrentInit, Rng rng) {
        LanguageModel m = new LanguageModel(config);
        m.dropoutRng = rng.split("dropout");
        if (m.embedding != null) {
            rng.fillGaussian(m.embedding.weight().value, 1.0); // nn.Embedding: N(0, 1)
        }
        m.rnn.initialize(recurrentInit, rng);
        float bound = (float) (1.0 / Math.sqrt(config.hiddenSize())); // nn.Linear: U(±1/√fan_in)
        Init.uniform(m.decoder.weight().value, bound, rng);
        Init.uniform(m.decoder.bias().value, bound, rng);
        return m;
    }

    /** The random source of training-time dropout masks. */
    public void setDropoutRng(Rng rng) {
        dropoutRng = rng;
    }

    public ModelConfig config() {
        return config;
    }

    public RecurrentStack rnn() {
        return rnn;
    }

    /** Parameters in the order of the PyTorch module's {@code state_dict}. */
    public List<Parameter> parameters() {
        return parameters;
    }

    public Parameter parameter(String name) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("the model has no parameter '" + name + "'");
    }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters) {
            n += p.size();
        }
        return n;
    }

    public void zeroGrad() {
        for (Parameter p : parameters) {
            p.zeroGrad();
        }
    }

    public RecurrentState newState(int batch) {
        return rnn.newState(batch);
    }

    /**
     * Inference forward pass (no dropout) over T steps of B sequences from {@code state} (updated to the
     * final state), with the
     * loss against {@code targets} (negative = no target). Leaves the logits in {@link #logits()}.
     */
    public SoftmaxCrossEntropy.Result forward(int[] tokens, int[] targets, int steps, int batch,
                                              RecurrentState state) {
        if (parallel != null) {
            parallel.ranSerially();
        }
        run(tokens, targets, steps, batch, state, null);
        return targets == null ? null : SoftmaxCrossEntropy.forward(logits, targets, null);
    }

    private void run(int[] tokens, int[] targets, int steps, int batch, RecurrentState state, Rng dropout) {
        int n = checkBatch(tokens, targets, steps, batch);
        Matrix x;
        if (embedding != null) {
            x = embedding.forward(tokens, n);
        } else {
            input = resize(input, n, config.vocabSize());
            OneHot.encode(tokens, n, input);
            x = input;
        }
        Matrix h = rnn.forward(x, steps, batch, state, dropout);
        logits = decoder.forward(h);
    }

    /**
     * Training forward (with dropout between layers when the config has it) and backward: adds
     * ∂(scale · L)/∂θ into every parameter's gradient, where L is the loss
     * summed over all steps and sequences. Returns the (unscaled) loss.
     */
    public SoftmaxCrossEntropy.Result forwardBackward(int[] tokens, int[] targets, int steps, int batch,
                                                      RecurrentState state, float scale) {
        if (targets == null) {
            throw new IllegalArgumentException("training needs targets");
        }
        int parts = DataParallel.parts(config, steps, batch);
        if (parts > 1) { // sequences split across the kernel threads, each part through the whole pass
            checkTokens(tokens, targets, checkBatch(tokens, targets, steps, batch));
            checkState(state, batch);
            if (parallel == null) {
                parallel = new DataParallel(this);
            }
            return parallel.forwardBackward(tokens, targets, steps, batch, state, scale, dropoutRng, parts);
        }
        if (parallel != null) {
            parallel.ranSerially();
        }
        return forwardBackwardOnOneThread(tokens, targets, steps, batch, state, scale, dropoutRng);
    }

    /** {@link #forwardBackward} without the data-parallel split (its products may still use every kernel thread). */
    SoftmaxCrossEntropy.Result forwardBackwardOnOneThread(int[] tokens, int[] targets, int steps, int batch,
                                                          RecurrentState state, float scale, Rng dropout) {
        run(tokens, targets, steps, batch, state, dropout);
        // The logits buffer becomes the gradient buffer: dz = p − onehot(y), then times scale.
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.forward(logits, targets, logits);
        if (scale != 1f) {
            for (int i = 0; i < logits.size(); i++) {
                logits.data[logits.offset + i] *= scale;
            }
        }
        Matrix dH = decoder.backward(logits);
        Matrix dX = rnn.backward(dH, null);
        if (embedding != null) {
            embedding.backward(dX);
        }
        return r;
    }

    /**
     * Writes into {@code out} the state after step {@code t} of the last training or inference pass, as
     * {@link RecurrentStack#copyStateAfter} does for a pass that was not split across threads (truncated
     * BPTT starts its next overlapping window there).
     */
    public void copyStateAfter(int t, RecurrentState out) {
        if (parallel != null && parallel.lastRunSplit()) {
            parallel.copyStateAfter(t, out);
        } else {
            rnn.copyStateAfter(t, out);
        }
    }

    /** A state of the stack's layers (B × S_k each), checked before a pass is split. */
    void checkState(RecurrentState state, int batch) {
        if (state.numLayers() != rnn.numLayers()) {
            throw new IllegalArgumentException("state has " + state.numLayers() + " layers but the model has "
                    + rnn.numLayers());
        }
        for (int k = 0; k < rnn.numLayers(); k++) {
            state.layer(k).requireShape(batch, rnn.layer(k).stateSize(), "state of layer " + k);
        }
    }

    /** The data-parallel split of training passes, once a pass was split; for tests. */
    DataParallel dataParallel() {
        return parallel;
    }

    /** Token ids in [0, V) and targets below V (negative: not scored), checked before a pass is split. */
    private void checkTokens(int[] tokens, int[] targets, int n) {
        int v = config.vocabSize();
        for (int i = 0; i < n; i++) {
            if (tokens[i] < 0 || tokens[i] >= v) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at position " + i
                        + " is outside the vocabulary of " + v + " tokens");
            }
            if (targets[i] >= v) {
                throw new IllegalArgumentException("target " + targets[i] + " at position " + i
                        + " is outside the vocabulary of " + v + " tokens");
            }
        }
    }

    /**
     * The logits (T·B × V) of the last {@link #forward}. A training pass overwrites them with their
     * gradient, and one split across threads leaves only its first part's rows here.
     */
    public Matrix logits() {
        return logits;
    }

    /**
     * One step for generation: feeds tokens (one per sequence of the state's batch) and returns the next
     * logits (B × V), owned by the model. O(1) per token: the state carries everything before.
     */
    public Matrix step(int[] tokens, RecurrentState state) {
        int b = state.batch();
        if (tokens.length != b) {
            throw new IllegalArgumentException(tokens.length + " tokens given for a state of batch " + b);
        }
        stepInput = resize(stepInput, b, config.inputSize());
        if (embedding != null) {
            embedding.lookup(tokens, b, stepInput);
        } else {
            OneHot.encode(tokens, b, stepInput);
        }
        Matrix h = rnn.step(stepInput, state);
        stepLogits = resize(stepLogits, b, config.vocabSize());
        decoder.apply(h, stepLogits);
        return stepLogits;
    }

    /**
     * A step function for generation over the weights as they are now, faster than {@link #step} at small
     * batches: the recurrent and output weights are packed once, and the first layer's input side of a
     * token (its embedding row, or one-hot column, times W_ih, plus bias) is computed when the token is
     * first fed and then kept, if the table of all of them takes at most {@value #MAX_INPUT_TABLE_FLOATS}
     * floats. It never reads the parameters again, so make a new one after the weights change (a training
     * step, a load). Not safe for use by several threads.
     */
    public Generator generator() {
        return new Generator();
    }

    /** A limit of 16 MB on the first layer's table of input projections (V × G·H floats). */
    static final long MAX_INPUT_TABLE_FLOATS = 1L << 22;

    /** Generation steps over packed weights, from {@link #generator()}. */
    public final class Generator {
        private final RecurrentStack.Steps steps;
        private final boolean table;
        private final PackedMatrix decoderT; // Wᵀ of the decoder, packed
        private final Matrix decoderBias;    // c, copied
        private Matrix x;      // (B, D) inputs when there is no table
        private Matrix logits; // (B, V)

        private Generator() {
            int v = config.vocabSize();
            long tableFloats = (long) v * rnn.layer(0).parameters().get(0).value.rows; // V × G·H: weight_ih_l0 comes first
            this.table = tableFloats <= MAX_INPUT_TABLE_FLOATS;
            Matrix inputs = null;
            if (table) {
                inputs = embedding != null ? embedding.weight().value : OneHot.identity(v);
            }
            this.steps = rnn.stepper(inputs);
            this.decoderT = Kernels.packTransB(decoder.weight().value);
            this.decoderBias = decoder.bias().value.copy();
        }

        /** As {@link LanguageModel#step}: one token per sequence of the state's batch in, logits (B × V) out. */
        public Matrix step(int[] tokens, RecurrentState state) {
            int b = state.batch();
            if (tokens.length != b) {
                throw new IllegalArgumentException(tokens.length + " tokens given for a state of batch " + b);
            }
            Matrix h;
            if (table) {
                for (int i = 0; i < b; i++) {
                    if (tokens[i] < 0 || tokens[i] >= config.vocabSize()) {
                        throw new IllegalArgumentException("token " + tokens[i] + " of sequence " + i
                                + " is outside the vocabulary of " + config.vocabSize());
                    }
                }
                h = steps.stepRows(tokens, state);
            } else {
                x = resize(x, b, config.inputSize());
                if (embedding != null) {
                    embedding.lookup(tokens, b, x);
                } else {
                    OneHot.encode(tokens, b, x);
                }
                h = steps.step(x, state);
            }
            logits = resize(logits, b, config.vocabSize());
            Kernels.mulPacked(h, decoderT, logits); // o = h·Vᵀ + c
            Kernels.addRowVector(logits, decoderBias);
            return logits;
        }
    }

    private int checkBatch(int[] tokens, int[] targets, int steps, int batch) {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("steps and batch must be positive, got T=" + steps + ", B=" + batch);
        }
        int n = Math.multiplyExact(steps, batch);
        if (tokens.length < n || (targets != null && targets.length < n)) {
            throw new IllegalArgumentException("T=" + steps + ", B=" + batch + " needs " + n + " tokens and targets, got "
                    + tokens.length + (targets == null ? "" : " and " + targets.length));
        }
        return n;
    }

    private static Matrix resize(Matrix m, int rows, int cols) {
        if (m != null && m.rows == rows && m.cols == cols) {
            return m;
        }
        if (m != null && m.data.length >= rows * cols) {
            return Matrix.view(m.data, 0, rows, cols);
        }
        return new Matrix(rows, cols);
    }
}
