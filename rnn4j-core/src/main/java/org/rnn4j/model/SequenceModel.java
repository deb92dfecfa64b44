package org.rnn4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Embedding;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Linear;
import org.rnn4j.nn.OneHot;
import org.rnn4j.nn.Parameter;

/**
 * A sequence classifier, tagger or forecaster: input → {@link RecurrentStack} → linear head to K outputs.
 * <pre>
 *   x_t = E[token_t], onehot(token_t) or the features of step t;      y_t = stack(x_≤t)   (both ways if bi)
 *   many-to-one:   o_b = W s_b + c,  s_b = [h_fwd at step len_b − 1 | h_rev after x_0]  (B × K)
 *   many-to-many:  o_tb = W y_tb + c  at every real step t &lt; len_b                   (T·B × K)
 *   L = Σ_items −ln softmax(o)[target]   (classify, tag; negative target = none)
 *     or Σ_items ‖o − target‖²            (forecast)
 * </pre>
 * s_b is read from the top layer's final state (columns [0, H) and, bidirectional, [S, S + H) with S its
 * per-direction width, H or 2H for LSTM's {@code [h | c]}), so ∂L/∂s enters the stack as a final-state
 * gradient at each sequence's own last step. Padded steps read nothing (their inputs are replaced by
 * zeros) and add nothing to the loss or any gradient. Parameters carry PyTorch's names
 * ({@code embedding.weight}, {@code rnn.*}, {@code head.weight}, {@code head.bias}).
 *
 * <p>Lifecycle: {@link #forward} and {@link #forwardBackward} run one batch and leave the head's outputs in
 * {@link #outputs()}; {@code forwardBackward} adds gradients, so call {@link #zeroGrad()} between steps.
 */
public final class SequenceModel {
    /**
     * The loss of a batch summed over its counted items (sequences, or real steps with a target), and for
     * classification how many of them the argmax got right ({@code correct} is −1 for forecasting).
     */
    public record Result(double sum, int count, int correct) {
        /** Mean loss per counted item (NaN when nothing was counted). */
        public double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }

        /** Share of counted items classified correctly (NaN for forecasting or when nothing was counted). */
        public double accuracy() {
            return correct < 0 || count == 0 ? Double.NaN : (double) correct / count;
        }
    }

    public static final String HEAD_PREFIX = "head.";
    public static final String EMBEDDING_PREFIX = "embedding.";

    private final SequenceModelConfig config;
    private final Embedding embedding; // null unless E > 0
    private final RecurrentStack rnn;
    private final Linear head;
    private final List<Parameter> parameters;
    private final SequenceLoss loss;
    private final int topState;   // S of one direction of the top layer
    private int[] ids;            // (T·B) tokens with padding replaced by 0
    private Matrix input;         // (T·B × D) one-hot rows or features with zeroed padding
    private RecurrentState state; // (B × S_k) per layer
    private RecurrentState dFinal;
    private Matrix summary;       // (B × F) many-to-one: the h parts of the top final state
    private Matrix dTop;          // (T·B × F) zeros: a many-to-one loss reads no step output
    private Matrix outputs;       // head output of the last forward, owned by the head (or gathered from the parts)
    private Matrix dOutputs;
    private Replicas<SequenceModel> replicas; // made at the first training pass split across threads
    private Matrix gathered;      // the parts' outputs of a split pass, in the batch's row order
    private int lastParts;        // parts of the last training pass, for tests

    public SequenceModel(SequenceModelConfig config) {
        this.config = config;
        this.embedding = config.embeddingDim() > 0
                ? new Embedding(EMBEDDING_PREFIX, config.vocabSize(), config.embeddingDim()) : null;
        this.rnn = config.newStack();
        this.head = new Linear(HEAD_PREFIX, rnn.outputSize(), config.outputSize());
        int topWidth = rnn.layer(rnn.numLayers() - 1).stateSize();
        this.topState = config.bidirectional() ? topWidth / 2 : topWidth;
        List<Parameter> ps = new ArrayList<>();
        if (embedding != null) {
            ps.addAll(embedding.parameters());
        }
        ps.addAll(rnn.parameters());
        ps.addAll(head.parameters());
        this.parameters = Collections.unmodifiableList(ps);
        this.loss = new SequenceLoss(config);
    }

    /**
     * A model initialised as PyTorch initialises the same modules: embedding N(0, 1), the stack with the
     * given recurrent recipe, head U(±1/√fan_in). Draws from {@code rng} in that order.
     */
    public static SequenceModel create(SequenceModelConfig config, Init.RecurrentInit recurrentInit, Rng rng) {
        SequenceModel m = new SequenceModel(config);
        if (m.embedding != null) {
            rng.fillGaussian(m.embedding.weight().value, 1.0);
        }
        m.rnn.initialize(recurrentInit, rng);
        float bound = (float) (1.0 / Math.sqrt(m.head.inSize()));
        Init.uniform(m.head.weight().value, bound, rng);
        Init.uniform(m.head.bias().value, bound, rng);
        return m;
    }

    public SequenceModelConfig config() {
        return config;
    }

    public RecurrentStack rnn() {
        return rnn;
    }

    /** Parameters in the order of the PyTorch module's {@code state_dict}: embedding, rnn, head. */
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
        parameters.forEach(Parameter::zeroGrad);
    }

    /**
     * Inference (no dropout): runs the batch and returns its loss against the batch's targets, or an empty
     * result (count 0) when it has none. Leaves the outputs in {@link #outputs()}.
     */
    public Result forward(SequenceBatch batch) {
        run(batch, null);
        return loss.hasTargets(batch) ? loss.compute(outputs, batch, null)
                : new Result(0, 0, config.task().isClassification() ? 0 : -1);
    }

    /**
     * Training: runs the batch (with dropout between layers when the config has it and {@code dropoutRng}
     * is given; null for none) and adds ∂(scale · L)/∂θ into every parameter's gradient. Returns the
     * unscaled loss.
     */
    public Result forwardBackward(SequenceBatch batch, float scale, Rng dropoutRng) {
        long fmas = (long) batch.steps * batch.batch * Replicas.stackFmasPerStep(config.cell(), config.inputSize(),
                config.hiddenSize(), config.numLayers(), config.bidirectional());
        int parts = Replicas.parts(batch.batch, fmas);
        lastParts = parts;
        return parts > 1 ? forwardBackwardSplit(batch, scale, dropoutRng, parts)
                : forwardBackwardOnOneThread(batch, scale, dropoutRng);
    }

    /**
     * {@link #forwardBackward} split by sequence across the kernel threads, each part through the whole pass
     * on its own thread and activations (see {@link DataParallel}); the outputs are gathered back into the
     * batch's row order.
     */
    private Result forwardBackwardSplit(SequenceBatch batch, float scale, Rng dropoutRng, int parts) {
        checkInputs(batch); // before the split, so that errors name their place in the whole batch
        loss.checkTargets(batch, config.shape() == SequenceShape.MANY_TO_ONE ? batch.batch : batch.steps * batch.batch);
        if (replicas == null) {
            replicas = new Replicas<>(this, () -> new SequenceModel(config), SequenceModel::parameters,
                    (m, r) -> Replicas.copyCheckpointing(m.rnn, r.rnn));
        }
        List<Result> results = replicas.train(parts, batch.batch, dropoutRng, config.dropout() > 0f,
                (p, m, b0, b1, dropout) -> m.forwardBackwardOnOneThread(batch.rows(b0, b1), scale, dropout));
        gatherOutputs(batch, parts);
        double sum = 0;
        int count = 0;
        int correct = 0;
        for (Result r : results) {
            sum += r.sum();
            count += r.count();
            correct = correct < 0 || r.correct() < 0 ? -1 : correct + r.correct();
        }
        return new Result(sum, count, correct);
    }

    /** The replicas of split training passes, or null before the first; for tests. */
    Replicas<SequenceModel> replicas() {
        return replicas;
    }

    /** How many parts the last training pass was split into across the kernel threads (1: not split). */
    int lastTrainingParts() {
        return lastParts;
    }

    /** The parts' head outputs into one matrix in the batch's rows: (B × K), or (T·B × K) time-major. */
    private void gatherOutputs(SequenceBatch batch, int parts) {
        int b = batch.batch;
        int k = config.outputSize();
        boolean perStep = config.shape() == SequenceShape.MANY_TO_MANY;
        gathered = resize(gathered, perStep ? batch.steps * b : b, k);
        for (int p = 0; p < parts; p++) {
            int b0 = Replicas.first(b, parts, p), n = Replicas.first(b, parts, p + 1) - b0;
            Matrix out = replicas.part(p).outputs;
            for (int t = 0; t < (perStep ? batch.steps : 1); t++) {
                System.arraycopy(out.data, out.offset + t * n * k, gathered.data, (t * b + b0) * k, n * k);
            }
        }
        outputs = gathered;
    }

    /** {@link #forwardBackward} on this model's own activations (its products may still use every kernel thread). */
    private Result forwardBackwardOnOneThread(SequenceBatch batch, float scale, Rng dropoutRng) {
        run(batch, dropoutRng);
        dOutputs = resize(dOutputs, outputs.rows, outputs.cols);
        Result r = loss.compute(outputs, batch, dOutputs);
        if (scale != 1f) {
            Kernels.scaleInPlace(dOutputs, scale);
        }
        Matrix dHead = head.backward(dOutputs);
        Matrix dX;
        if (config.shape() == SequenceShape.MANY_TO_MANY) {
            dX = rnn.backward(dHead, null); // padded steps get zero gradient: their dOutputs rows are zero
        } else {
            scatterSummaryGradient(dHead);
            dTop = resize(dTop, batch.steps * batch.batch, rnn.outputSize());
            dTop.zero();
            dX = rnn.backward(dTop, dFinal);
        }
        if (embedding != null) {
            embedding.backward(dX);
        }
        return r;
    }

    /** The argmax class per sequence (B), or per step (T·B, time-major; {@link SequenceBatch#NO_TARGET} at padding). */
    public int[] predictClasses(SequenceBatch batch) {
        if (!config.task().isClassification()) {
            throw new IllegalStateException("a " + config.task().id() + " model predicts values: use predictValues()");
        }
        run(batch, null);
        boolean[] mask = loss.mask(batch, outputs.rows);
        int[] classes = new int[outputs.rows];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = mask[i] ? SequenceLoss.argmax(outputs, i) : SequenceBatch.NO_TARGET;
        }
        return classes;
    }

    /** The predicted values (B × K), or (T·B × K) time-major with zero rows at padded steps; a copy. */
    public Matrix predictValues(SequenceBatch batch) {
        if (config.task().isClassification()) {
            throw new IllegalStateException("a " + config.task().id() + " model predicts classes: use predictClasses()"
                    + " (or outputs() for the logits)");
        }
        run(batch, null);
        boolean[] mask = loss.mask(batch, outputs.rows);
        Matrix values = outputs.copy();
        for (int i = 0; i < values.rows; i++) {
            if (!mask[i]) {
                Arrays.fill(values.data, i * values.cols, (i + 1) * values.cols, 0f);
            }
        }
        return values;
    }

    /**
     * The head's outputs of the last forward pass, logits or values: (B × K) many-to-one, (T·B × K)
     * many-to-many (rows of padded steps are meaningless). Owned by the model; valid until the next pass.
     */
    public Matrix outputs() {
        if (outputs == null) {
            throw new IllegalStateException("outputs() called before forward(): run forward on a batch first");
        }
        return outputs;
    }

    private void run(SequenceBatch batch, Rng dropoutRng) {
        Matrix x = encode(batch);
        if (state == null || state.batch() != batch.batch) {
            state = rnn.newState(batch.batch);
        } else {
            rnn.reset(state);
        }
        Matrix y = rnn.forward(x, batch.steps, batch.batch, state, dropoutRng, batch.lengths);
        outputs = head.forward(config.shape() == SequenceShape.MANY_TO_ONE ? gatherSummary() : y);
    }

    /** The first layer's input (T·B × D), with the inputs of padded steps replaced by zeros (token 0). */
    private Matrix encode(SequenceBatch batch) {
        int n = batch.steps * batch.batch;
        checkInputs(batch);
        if (!config.tokenInput()) {
            input = resize(input, n, config.featureSize());
            for (int i = 0; i < n; i++) {
                boolean real = batch.isReal(i / batch.batch, i % batch.batch);
                int d = config.featureSize();
                if (real) {
                    System.arraycopy(batch.features.data, batch.features.offset + i * d, input.data, i * d, d);
                } else {
                    Arrays.fill(input.data, i * d, (i + 1) * d, 0f);
                }
            }
            return input;
        }
        ids = ids != null && ids.length == n ? ids : new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = batch.isReal(i / batch.batch, i % batch.batch) ? batch.tokens[i] : 0;
        }
        if (embedding != null) {
            return embedding.forward(ids, n);
        }
        input = resize(input, n, config.vocabSize());
        OneHot.encode(ids, n, input);
        return input;
    }

    /** The batch holds what the model reads: tokens in its vocabulary at real steps, or T·B × D features. */
    private void checkInputs(SequenceBatch batch) {
        int n = batch.steps * batch.batch;
        if (config.tokenInput() != batch.hasTokens()) {
            throw new IllegalArgumentException(config.tokenInput()
                    ? "the model reads tokens (vocab_size " + config.vocabSize() + ") but the batch holds features"
                    : "the model reads " + config.featureSize() + " features per step but the batch holds tokens");
        }
        if (!config.tokenInput()) {
            batch.features.requireShape(n, config.featureSize(), "features (T·B × D)");
            return;
        }
        for (int i = 0; i < n; i++) {
            int t = i / batch.batch;
            int b = i % batch.batch;
            int id = batch.tokens[i];
            if (batch.isReal(t, b) && (id < 0 || id >= config.vocabSize())) {
                throw new IllegalArgumentException("token " + id + " of sequence " + b + " at step " + t
                        + " is outside the vocabulary of " + config.vocabSize() + " tokens");
            }
        }
    }

    /** summary row b = [top final state columns [0, H) | columns [S, S + H) when bidirectional]. */
    private Matrix gatherSummary() {
        Matrix top = state.layer(rnn.numLayers() - 1);
        int h = rnn.hiddenSize();
        summary = resize(summary, top.rows, rnn.outputSize());
        for (int b = 0; b < top.rows; b++) {
            int src = top.offset + b * top.cols;
            System.arraycopy(top.data, src, summary.data, b * summary.cols, h);
            if (config.bidirectional()) {
                System.arraycopy(top.data, src + topState, summary.data, b * summary.cols + h, h);
            }
        }
        return summary;
    }

    /** dFinal = 0 except the top layer's h columns = dSummary: the reverse of {@link #gatherSummary()}. */
    private void scatterSummaryGradient(Matrix dSummary) {
        if (dFinal == null || dFinal.batch() != dSummary.rows) {
            dFinal = rnn.newState(dSummary.rows);
        }
        for (int k = 0; k < rnn.numLayers(); k++) {
            dFinal.layer(k).zero();
        }
        Matrix top = dFinal.layer(rnn.numLayers() - 1);
        int h = rnn.hiddenSize();
        for (int b = 0; b < top.rows; b++) {
            int dst = top.offset + b * top.cols;
            int src = dSummary.offset + b * dSummary.cols;
            System.arraycopy(dSummary.data, src, top.data, dst, h);
            if (config.bidirectional()) {
                System.arraycopy(dSummary.data, src + h, top.data, dst + topState, h);
            }
        }
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
