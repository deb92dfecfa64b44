package org.rnn4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Linear;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * The decoder of an encoder-decoder or of a conditioned generator: token input → unidirectional
 * {@link RecurrentStack} from a given initial state s0 → linear output over the V target tokens, trained
 * with teacher forcing (the true previous token is the next input):
 * <pre>
 *   inputs x = [BOS, y_1 … y_n],   targets = [y_1 … y_n, EOS]          (n + 1 steps for a target of n tokens)
 *   h_t = stack(in(x_t), h_{t-1}),   h_{-1} = s0,   o_t = W h_t + b
 *   L   = Σ_b Σ_{t ≤ n_b} −ln softmax(o_t)[target_t]                  (steps after a sequence's EOS: no target)
 * </pre>
 * Backward leaves ∂L/∂s0 in {@link #initialStateGradient()}, which the owner sends on (into the encoder's
 * final state, or through the conditioning map).
 */
final class TeacherForcedDecoder {
    private final ModelConfig config;
    private final TokenInput input;
    private final RecurrentStack rnn;
    private final Linear output;
    private final List<Parameter> parameters;
    private Matrix logits;    // (T'·B × V) of the last forward, T' = n_max + 1; after forwardBackward, its gradient
    private Matrix stepInput; // (B × D) for step()
    private Matrix stepLogits; // (B × V) for step()

    /**
     * @param config the decoder's shape; it must be unidirectional and without a learned initial state
     *               (the initial state is given)
     */
    TeacherForcedDecoder(ModelConfig config, String inputPrefix, String rnnPrefix, String outputPrefix) {
        if (config.bidirectional() || config.learnedInitialState()) {
            throw new IllegalArgumentException("a decoder reads its targets left to right from a given initial state:"
                    + " it cannot be bidirectional or learn its initial state");
        }
        this.config = config;
        this.input = new TokenInput(inputPrefix, config.vocabSize(), config.embeddingDim());
        this.rnn = RecurrentStack.of(config);
        this.output = new Linear(outputPrefix, config.hiddenSize(), config.vocabSize());
        List<Parameter> ps = new ArrayList<>(input.parameters());
        ps.addAll(renamed(rnn.parameters(), rnnPrefix));
        ps.addAll(output.parameters());
        this.parameters = Collections.unmodifiableList(ps);
    }

    /**
     * The stack's parameters under {@code prefix} instead of {@link RecurrentStack#PREFIX}: new names over
     * the same value and gradient matrices.
     */
    static List<Parameter> renamed(List<Parameter> ps, String prefix) {
        if (prefix.equals(RecurrentStack.PREFIX)) {
            return ps;
        }
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : ps) {
            String name = prefix + p.name().substring(RecurrentStack.PREFIX.length());
            out.add(new Parameter(name, p.shape(), p.value, p.grad));
        }
        return out;
    }

    /** PyTorch's initialisation of each part: N(0, 1) embedding, the stack's recipe, U(±1/√H) output. */
    void initialize(Init.RecurrentInit recurrentInit, Rng rng) {
        input.initialize(rng);
        rnn.initialize(recurrentInit, rng);
        float bound = (float) (1.0 / Math.sqrt(config.hiddenSize()));
        Init.uniform(output.weight().value, bound, rng);
        Init.uniform(output.bias().value, bound, rng);
    }

    ModelConfig config() {
        return config;
    }

    RecurrentStack rnn() {
        return rnn;
    }

    List<Parameter> parameters() {
        return parameters;
    }

    /** Inference: the teacher-forced loss of targets y from s0 (overwritten), without dropout. */
    SoftmaxCrossEntropy.Result loss(PaddedSequences y, RecurrentState s0) {
        int[] targets = run(y, s0, null);
        return SoftmaxCrossEntropy.forward(logits, targets, null);
    }

    /**
     * Training: forward with dropout (when configured and {@code dropoutRng} is given) and backward of
     * scale · L. Adds the parameter gradients and leaves ∂(scale · L)/∂s0 in {@link #initialStateGradient()}.
     * Returns the unscaled loss.
     */
    SoftmaxCrossEntropy.Result forwardBackward(PaddedSequences y, RecurrentState s0, Rng dropoutRng, float scale) {
        int[] targets = run(y, s0, dropoutRng);
        SoftmaxCrossEntropy.Result r = SoftmaxCrossEntropy.forward(logits, targets, logits); // dz = p − onehot(y)
        if (scale != 1f) {
            for (int i = 0; i < logits.size(); i++) {
                logits.data[logits.offset + i] *= scale;
            }
        }
        Matrix dH = output.backward(logits);     // o = W h + b  =>  dh = do W
        Matrix dX = rnn.backward(dH, null);      // the decoder's final state is not used
        input.backward(dX);
        return r;
    }

    /** ∂(scale · L)/∂s0 per layer (B × S) of the last {@link #forwardBackward}; views owned by the stack. */
    RecurrentState initialStateGradient() {
        return rnn.initialStateGradient();
    }

    /** Runs the teacher-forced inputs from s0 into {@link #logits} and returns the targets. */
    private int[] run(PaddedSequences y, RecurrentState s0, Rng dropoutRng) {
        checkTargets(y, config.vocabSize());
        int batch = y.batch();
        int steps = y.steps() + 1;
        int n = steps * batch;
        int[] in = new int[n];      // a fresh array: the embedding keeps it until backward
        int[] targets = new int[n];
        int[] lengths = y.lengths();
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int len = lengths[b];
                in[t * batch + b] = t == 0 ? StepDecoder.BOS : t <= len ? y.token(t - 1, b) : StepDecoder.EOS;
                targets[t * batch + b] = t < len ? y.token(t, b) : t == len ? StepDecoder.EOS : -1;
            }
        }
        Matrix x = input.forward(in, n);
        // Without lengths: padded steps after each EOS are computed, but have no target, so no gradient.
        Matrix h = rnn.forward(x, steps, batch, s0, dropoutRng, null);
        logits = output.forward(h);
        return targets;
    }

    /** Every target id is in [0, V) and neither BOS nor EOS, which the decoder adds itself. */
    static void checkTargets(PaddedSequences y, int vocabSize) {
        y.checkIds(vocabSize, "target");
        int[] lengths = y.lengths();
        for (int b = 0; b < y.batch(); b++) {
            for (int t = 0; t < lengths[b]; t++) {
                int id = y.token(t, b);
                if (id == StepDecoder.BOS || id == StepDecoder.EOS) {
                    throw new IllegalArgumentException("target " + b + " holds " + (id == StepDecoder.BOS ? "BOS" : "EOS")
                            + " (id " + id + ") at position " + t + ": give targets without BOS and EOS, the decoder"
                            + " adds them");
                }
            }
        }
    }

    /** One step of generation: feeds one token per row of {@code state}, returns the logits (B × V). */
    Matrix step(int[] tokens, RecurrentState state) {
        int b = state.batch();
        if (tokens.length != b) {
            throw new IllegalArgumentException(tokens.length + " tokens given for a state of batch " + b);
        }
        stepInput = TokenInput.resize(stepInput, b, input.width());
        input.lookup(tokens, b, stepInput);
        Matrix h = rnn.step(stepInput, state);
        stepLogits = TokenInput.resize(stepLogits, b, config.vocabSize());
        output.apply(h, stepLogits);
        return stepLogits;
    }

    /** log P(target, EOS | s0) for one sequence (state of batch 1, consumed), step by step. */
    double logProbability(int[] target, RecurrentState s0) {
        int[] one = {StepDecoder.BOS};
        double sum = 0;
        for (int t = 0; t <= target.length; t++) {
            Matrix z = step(one, s0);
            int next = t < target.length ? target[t] : StepDecoder.EOS;
            sum += logSoftmax(z, 0, next);
            one[0] = next;
        }
        return sum;
    }

    /** ln softmax(z_row)[c], in double. */
    static double logSoftmax(Matrix z, int row, int c) {
        int base = z.offset + row * z.cols;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < z.cols; j++) {
            max = Math.max(max, z.data[base + j]);
        }
        double s = 0;
        for (int j = 0; j < z.cols; j++) {
            s += Math.exp(z.data[base + j] - max);
        }
        return z.data[base + c] - max - Math.log(s);
    }
}
