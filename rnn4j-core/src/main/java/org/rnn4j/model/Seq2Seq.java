package org.rnn4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Init;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.SoftmaxCrossEntropy;

/**
 * An encoder-decoder (Sutskever, Vinyals and Le 2014, "Sequence to sequence learning with neural
 * networks"; Cho et al. 2014, "Learning phrase representations using RNN encoder-decoder"): the encoder
 * reads the source, and its final state, taken per sequence at the sequence's own last token, is the
 * initial state of the decoder, which then models the target token by token:
 * <pre>
 *   s = encoder(in_src(x_1 … x_m))          final state of every layer, (B × S) each
 *   P(y | x) = Π_t softmax(W h_t + b)[y_t],   h_t = decoder(in_tgt(y_{t-1}), h_{t-1}),  h_{-1} = s,  y_0 = BOS
 *   L = −Σ_b ln P(y_1 … y_n EOS | x)        (teacher forcing; summed over the batch)
 * </pre>
 * Backward runs the decoder, hands its ∂L/∂h_{-1} to the encoder as the gradient of its final state, and
 * runs the encoder (whose outputs receive no gradient: there is no attention). Both stacks share cell,
 * hidden size and depth; the encoder is unidirectional.
 *
 * <p>Parameters, in this order: {@code encoder.embedding.weight}, {@code encoder.rnn.*},
 * {@code decoder.embedding.weight}, {@code decoder.rnn.*}, {@code decoder.output.weight},
 * {@code decoder.output.bias} (the embeddings are absent for one-hot inputs). Target ids 0 and 1 are
 * BOS and EOS ({@link StepDecoder}). Batches are time-major.
 */
public final class Seq2Seq implements StepDecoder {
    public static final String ENCODER_PREFIX = "encoder.";
    public static final String DECODER_PREFIX = "decoder.";

    private final Seq2SeqConfig config;
    private final TokenInput sourceInput;
    private final RecurrentStack encoder;
    private final TeacherForcedDecoder decoder;
    private final List<Parameter> parameters;
    private Rng dropoutRng = new Rng(0).split("dropout");
    private Matrix encoderOutputGradient; // (T·B × H) zeros: the encoder's outputs are not used
    private Replicas<Seq2Seq> replicas;   // made at the first training pass split across threads
    private int lastParts;                // parts of the last training pass, for tests

    public Seq2Seq(Seq2SeqConfig config) {
        this.config = config;
        ModelConfig enc = config.encoder();
        this.sourceInput = new TokenInput(ENCODER_PREFIX + "embedding.", enc.vocabSize(), enc.embeddingDim());
        this.encoder = RecurrentStack.of(enc);
        this.decoder = new TeacherForcedDecoder(config.decoder(), DECODER_PREFIX + "embedding.",
                DECODER_PREFIX + "rnn.", DECODER_PREFIX + "output.");
        List<Parameter> ps = new ArrayList<>(sourceInput.parameters());
        ps.addAll(TeacherForcedDecoder.renamed(encoder.parameters(), ENCODER_PREFIX + "rnn."));
        ps.addAll(decoder.parameters());
        this.parameters = Collections.unmodifiableList(ps);
    }

    /** A model initialised as PyTorch initialises the same modules, with the given recurrent recipe. */
    public static Seq2Seq create(Seq2SeqConfig config, Init.RecurrentInit recurrentInit, Rng rng) {
        Seq2Seq m = new Seq2Seq(config);
        m.dropoutRng = rng.split("dropout");
        m.sourceInput.initialize(rng);
        m.encoder.initialize(recurrentInit, rng);
        m.decoder.initialize(recurrentInit, rng);
        return m;
    }

    public Seq2SeqConfig config() {
        return config;
    }

    /** The random source of training-time dropout masks. */
    public void setDropoutRng(Rng rng) {
        dropoutRng = rng;
    }

    /** The encoder's stack; its own {@code parameters()} carry the stack's names {@code rnn.*}. */
    public RecurrentStack encoder() {
        return encoder;
    }

    /** The decoder's stack; its own {@code parameters()} carry the stack's names {@code rnn.*}. */
    public RecurrentStack decoder() {
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
     * The decoder's initial state for a batch of sources: the encoder's final state of every layer, row b
     * taken after source b's last token. Inference (no dropout); a fresh state owned by the caller.
     */
    public RecurrentState encode(PaddedSequences source) {
        return runEncoder(source, null);
    }

    /** {@link #encode(PaddedSequences)} of one source sequence: a state of batch 1. */
    public RecurrentState encode(int[] source) {
        return encode(PaddedSequences.of(source));
    }

    private RecurrentState runEncoder(PaddedSequences source, Rng dropout) {
        source.checkIds(config.sourceVocabSize(), "source");
        int batch = source.batch();
        int steps = source.steps();
        if (steps == 0) {
            throw new IllegalArgumentException("every source is empty: the encoder needs at least one token");
        }
        RecurrentState state = encoder.newState(batch);
        Matrix x = sourceInput.forward(source.tokens(), steps * batch);
        encoder.forward(x, steps, batch, state, dropout, source.lengths()); // checks every length ≥ 1
        RecurrentState s0 = decoder.rnn().newState(batch);
        s0.copyFrom(state);
        return s0;
    }

    /** Inference: the summed teacher-forced loss −Σ_b ln P(target_b EOS | source_b), without dropout. */
    public SoftmaxCrossEntropy.Result loss(Seq2SeqBatch batch) {
        return decoder.loss(batch.target(), encode(batch.source()));
    }

    /**
     * Training: forward (with dropout between layers when configured) and backward of scale · L, adding
     * ∂(scale · L)/∂θ into every parameter's gradient. Returns the unscaled summed loss.
     */
    public SoftmaxCrossEntropy.Result forwardBackward(Seq2SeqBatch batch, float scale) {
        ModelConfig enc = config.encoder();
        ModelConfig dec = config.decoder();
        long fmas = (long) batch.batch() * (batch.source().steps() * Replicas.stackFmasPerStep(enc.cell(),
                enc.inputSize(), enc.hiddenSize(), enc.numLayers(), false) + (batch.target().steps() + 1L)
                * (Replicas.stackFmasPerStep(dec.cell(), dec.inputSize(), dec.hiddenSize(), dec.numLayers(), false)
                + (long) dec.hiddenSize() * dec.vocabSize()));
        int parts = Replicas.parts(batch.batch(), fmas);
        lastParts = parts;
        return parts > 1 ? forwardBackwardSplit(batch, scale, parts) : forwardBackwardOnOneThread(batch, scale, dropoutRng);
    }

    /**
     * {@link #forwardBackward} split by sequence pair across the kernel threads, each part through the whole
     * pass (encoder, decoder, backward) on its own thread and activations (see {@link DataParallel}).
     */
    private SoftmaxCrossEntropy.Result forwardBackwardSplit(Seq2SeqBatch batch, float scale, int parts) {
        batch.source().checkIds(config.sourceVocabSize(), "source"); // before the split: positions in the whole batch
        TeacherForcedDecoder.checkTargets(batch.target(), config.targetVocabSize());
        if (replicas == null) {
            replicas = new Replicas<>(this, () -> new Seq2Seq(config), Seq2Seq::parameters, (m, r) -> {
                Replicas.copyCheckpointing(m.encoder(), r.encoder());
                Replicas.copyCheckpointing(m.decoder(), r.decoder());
            });
        }
        return Replicas.total(replicas.train(parts, batch.batch(), dropoutRng, config.encoder().dropout() > 0f,
                (p, m, b0, b1, dropout) -> m.forwardBackwardOnOneThread(new Seq2SeqBatch(batch.source().rows(b0, b1),
                        batch.target().rows(b0, b1)), scale, dropout)));
    }

    /** How many parts the last training pass was split into across the kernel threads (1: not split). */
    int lastTrainingParts() {
        return lastParts;
    }

    /** {@link #forwardBackward} on this model's own activations (its products may still use every kernel thread). */
    private SoftmaxCrossEntropy.Result forwardBackwardOnOneThread(Seq2SeqBatch batch, float scale, Rng dropoutRng) {
        PaddedSequences source = batch.source();
        RecurrentState s0 = runEncoder(source, dropoutRng);
        SoftmaxCrossEntropy.Result r = decoder.forwardBackward(batch.target(), s0, dropoutRng, scale);
        // h_{-1} of the decoder = final state of the encoder  =>  dFinal(encoder) = ∂L/∂h_{-1}(decoder)
        RecurrentState dFinal = decoder.initialStateGradient();
        encoderOutputGradient = TokenInput.resize(encoderOutputGradient, source.steps() * source.batch(),
                encoder.outputSize());
        encoderOutputGradient.zero();
        Matrix dX = encoder.backward(encoderOutputGradient, dFinal);
        sourceInput.backward(dX);
        return r;
    }

    /** V of the target vocabulary. */
    @Override
    public int vocabSize() {
        return config.targetVocabSize();
    }

    /** A zero decoder state for B rows; decodings start from {@link #encode} instead. */
    @Override
    public RecurrentState newState(int batch) {
        return decoder.rnn().newState(batch);
    }

    /** One decoder step: one target token per row of {@code state}; returns the next logits (B × V). */
    @Override
    public Matrix step(int[] tokens, RecurrentState state) {
        return decoder.step(tokens, state);
    }

    /** ln P(target EOS | source), computed step by step ({@code target} without BOS and EOS). */
    public double logProbability(int[] source, int[] target) {
        return decoder.logProbability(target, encode(source));
    }
}
