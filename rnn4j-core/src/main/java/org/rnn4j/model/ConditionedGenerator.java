package org.rnn4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.matrix.Kernels;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * One-to-many generation: a token sequence from a conditioning vector c (an image's features, a class, a
 * style), as in image captioning (Vinyals et al. 2015, Karpathy and Fei-Fei 2015). c sets the initial
 * state of every decoder layer, and a token decoder models the sequence from there:
 * <pre>
 *   s_k = tanh(W_k c + b_k)                 layer k's initial state, (B × S): S = H, or 2H = [h | c] for LSTM
 *   P(y | c) = Π_t softmax(V h_t + d)[y_t],   h_t = stack(in(y_{t-1}), h_{t-1}),  h_{-1} = s,  y_0 = BOS
 *   L = −Σ_b ln P(y_1 … y_n EOS | c)        (teacher forcing; summed over the batch)
 * backward:
 *   dA_k = ds_k ⊙ (1 − s_k²),   dW_k += dA_kᵀ c,   db_k += Σ_b dA_k,   dc = Σ_k dA_k W_k
 * </pre>
 * Parameters, in this order: {@code condition.weight_l{k}} (S, C) and {@code condition.bias_l{k}} (S) for
 * every layer, then the decoder as a {@link LanguageModel} names it: {@code embedding.weight},
 * {@code rnn.*}, {@code decoder.weight}, {@code decoder.bias}. Target ids 0 and 1 are BOS and EOS
 * ({@link StepDecoder}).
 */
public final class ConditionedGenerator implements StepDecoder {
    public static final String CONDITION_PREFIX = "condition.";

    private final ModelConfig config;
    private final int conditionSize; // C
    private final Parameter[] weight; // per layer (S, C)
    private final Parameter[] bias;   // per layer (S)
    private final TeacherForcedDecoder decoder;
    private final List<Parameter> parameters;
    private Rng dropoutRng = new Rng(0).split("dropout");
    private Matrix c;          // (B × C) copy of the last training condition
    private RecurrentState s;  // tanh(W_k c + b_k) of the last training forward
    private Matrix dA;         // (B × S) scratch
    private Matrix dC;         // (B × C) ∂(scale · L)/∂c of the last forwardBackward

    /**
     * @param config the decoder: unidirectional, without a learned initial state, target ids 0 and 1
     *               reserved for BOS and EOS
     * @param conditionSize C, the width of the conditioning vector
     */
    public ConditionedGenerator(ModelConfig config, int conditionSize) {
        if (conditionSize < 1) {
            throw new IllegalArgumentException("the condition size must be at least 1, got " + conditionSize);
        }
        if (config.vocabSize() < MIN_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocab_size must be at least " + MIN_VOCAB_SIZE
                    + " (BOS = 0, EOS = 1 and the task's tokens), got " + config.vocabSize());
        }
        this.config = config;
        this.conditionSize = conditionSize;
        this.decoder = new TeacherForcedDecoder(config, "embedding.", RecurrentStack.PREFIX, "decoder.");
        int layers = config.numLayers();
        this.weight = new Parameter[layers];
        this.bias = new Parameter[layers];
        List<Parameter> ps = new ArrayList<>();
        for (int k = 0; k < layers; k++) {
            int width = decoder.rnn().layer(k).stateSize();
            weight[k] = Parameter.matrix(CONDITION_PREFIX + "weight_l" + k, width, conditionSize);
            bias[k] = Parameter.vector(CONDITION_PREFIX + "bias_l" + k, width);
            ps.add(weight[k]);
            ps.add(bias[k]);
        }
        ps.addAll(decoder.parameters());
        this.parameters = Collections.unmodifiableList(ps);
    }

    /** A model initialised as PyTorch would: the condition maps as nn.Linear (U(±1/√C)), the decoder as its parts. */
    public static ConditionedGenerator create(ModelConfig config, int conditionSize, Init.RecurrentInit recurrentInit,
                                              Rng rng) {
        ConditionedGenerator m = new ConditionedGenerator(config, conditionSize);
        m.dropoutRng = rng.split("dropout");
        float bound = (float) (1.0 / Math.sqrt(conditionSize));
        for (int k = 0; k < m.weight.length; k++) {
            Init.uniform(m.weight[k].value, bound, rng);
            Init.uniform(m.bias[k].value, bound, rng);
        }
        m.decoder.initialize(recurrentInit, rng);
        return m;
    }

    public ModelConfig config() {
        return config;
    }

    public int conditionSize() {
        return conditionSize;
    }

    /** The random source of training-time dropout masks. */
    public void setDropoutRng(Rng rng) {
        dropoutRng = rng;
    }

    public RecurrentStack rnn() {
        return decoder.rnn();
    }

    /** Parameters in a stable order (see the class comment). */
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

    public void zeroGrad() {
        parameters.forEach(Parameter::zeroGrad);
    }

    /** The decoder's initial state for conditions c (B × C): s_k = tanh(W_k c + b_k). A fresh state. */
    public RecurrentState condition(Matrix condition) {
        if (condition.cols != conditionSize) {
            throw new IllegalArgumentException("the condition has " + condition.cols + " columns but the model's "
                    + "condition size is " + conditionSize);
        }
        RecurrentState state = decoder.rnn().newState(condition.rows);
        for (int k = 0; k < weight.length; k++) {
            Matrix sk = state.layer(k);
            Kernels.mulTransB(condition, weight[k].value, sk); // A_k = c W_kᵀ + b_k
            Kernels.addRowVector(sk, bias[k].value);
            for (int i = 0; i < sk.size(); i++) {
                sk.data[sk.offset + i] = (float) Math.tanh(sk.data[sk.offset + i]); // s_k = tanh(A_k)
            }
        }
        return state;
    }

    /** Inference: the summed teacher-forced loss −Σ_b ln P(target_b EOS | c_b), without dropout. */
    public SoftmaxCrossEntropy.Result loss(Matrix condition, PaddedSequences target) {
        checkBatch(condition, target);
        return decoder.loss(target, condition(condition));
    }

    /**
     * Training: forward (with dropout between layers when configured) and backward of scale · L into every
     * parameter's gradient, and ∂(scale · L)/∂c into {@link #conditionGradient()}. Returns the unscaled loss.
     */
    public SoftmaxCrossEntropy.Result forwardBackward(Matrix condition, PaddedSequences target, float scale) {
        checkBatch(condition, target);
        c = TokenInput.resize(c, condition.rows, conditionSize);
        c.copyFrom(condition);
        s = condition(c);
        RecurrentState s0 = s.copy(); // the decoder overwrites its initial state with its final state
        SoftmaxCrossEntropy.Result r = decoder.forwardBackward(target, s0, dropoutRng, scale);
        RecurrentState dS = decoder.initialStateGradient();
        dC = TokenInput.resize(dC, c.rows, conditionSize);
        dC.zero();
        for (int k = 0; k < weight.length; k++) {
            Matrix sk = s.layer(k);
            Matrix dSk = dS.layer(k);
            dA = TokenInput.resize(dA, sk.rows, sk.cols);
            for (int i = 0; i < sk.size(); i++) {
                float v = sk.data[sk.offset + i];
                dA.data[dA.offset + i] = dSk.data[dSk.offset + i] * (1f - v * v); // s = tanh(A)  =>  dA = ds (1 − s²)
            }
            Kernels.mulTransAAdd(dA, c, weight[k].grad); // dW_k += dA_kᵀ c
            Kernels.sumRowsAdd(dA, bias[k].grad);         // db_k += Σ_b dA_k
            Kernels.mulAdd(dA, weight[k].value, dC);      // dc += dA_k W_k
        }
        return r;
    }

    /** ∂(scale · L)/∂c (B × C) of the last {@link #forwardBackward}, for a network that computes c. */
    public Matrix conditionGradient() {
        if (dC == null) {
            throw new IllegalStateException("conditionGradient() called before forwardBackward()");
        }
        return dC;
    }

    /** V of the target vocabulary. */
    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    /** A zero decoder state for B rows; generations start from {@link #condition} instead. */
    @Override
    public RecurrentState newState(int batch) {
        return decoder.rnn().newState(batch);
    }

    /** One decoder step: one token per row of {@code state}; returns the next logits (B × V). */
    @Override
    public Matrix step(int[] tokens, RecurrentState state) {
        return decoder.step(tokens, state);
    }

    /** ln P(target EOS | c) for one condition (1 × C), step by step ({@code target} without BOS and EOS). */
    public double logProbability(Matrix condition, int[] target) {
        condition.requireShape(1, conditionSize, "condition");
        return decoder.logProbability(target, condition(condition));
    }

    private void checkBatch(Matrix condition, PaddedSequences target) {
        if (condition.rows != target.batch()) {
            throw new IllegalArgumentException("the condition has " + condition.rows + " rows but there are "
                    + target.batch() + " targets");
        }
    }
}
