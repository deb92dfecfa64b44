package org.rnn4j.cli;

import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Init;
import org.rnn4j.optim.Sgd;
import org.rnn4j.sample.Sampler;
import org.rnn4j.sample.SamplingOptions;

/**
 * The model of the PyTorch peer benchmark ({@code bench_rnn.py}), built with rnn4j:
 * <pre>
 *   Embedding(V = 65, H) → cell (input H, hidden H, L layers) → Linear(H, V) → softmax cross-entropy
 * </pre>
 * trained on random tokens by plain SGD (lr 0.01) with the loss averaged over the T·B tokens, as
 * {@code nn.CrossEntropyLoss} does; and sampled one token at a time at batch 1. Letters as in the
 * library: B batch, T steps, H hidden, V vocabulary, L layers, G gates (RNN 1, GRU 3, LSTM 4).
 */
final class BenchModel {
    /** V: the character vocabulary of the peer benchmark. */
    static final int VOCAB = 65;
    static final float LEARNING_RATE = 0.01f;

    private BenchModel() {
    }

    /** G: the gate blocks of a cell's weight matrices. */
    static int gates(CellType cell) {
        return switch (cell) {
            case RNN -> 1;
            case GRU -> 3;
            case LSTM -> 4;
        };
    }

    static ModelConfig config(CellType cell, int layers, int hidden) {
        return ModelConfig.builder().cell(cell).vocabSize(VOCAB).embeddingDim(hidden).hiddenSize(hidden)
                .numLayers(layers).build();
    }

    static LanguageModel create(CellType cell, int layers, int hidden, Rng rng) {
        return LanguageModel.create(config(cell, layers, hidden), Init.RecurrentInit.PYTORCH, rng.split("init"));
    }

    /**
     * GFLOP of one training step, as bench_rnn.py counts it: forward is {@code 2·B·T·(D+H)·G·H} per layer
     * (D = H) plus {@code 2·B·T·H·V} for the output layer, and training is 3× forward.
     */
    static double trainGflop(CellType cell, int layers, int hidden, int batch, int steps) {
        double h = hidden;
        double tokens = (double) batch * steps;
        double forward = layers * 2.0 * tokens * (h + h) * gates(cell) * h + 2.0 * tokens * h * VOCAB;
        return 3.0 * forward / 1e9;
    }

    /**
     * Bytes of the forward values that back-propagation needs, in float32, whatever the layers' own
     * layout: the embedded inputs (T·B·H); per layer the gate activations (T·B·G·H), which for the Elman
     * cell are its outputs h, and for LSTM and GRU also h (T·B·H) plus the cell states c (LSTM) or the
     * candidate's hidden part {@code W_hn h + b_hn} (GRU) (T·B·H each); and the logits (T·B·V).
     * So per token and layer: RNN H, GRU 5H, LSTM 6H floats.
     */
    static long activationBytes(CellType cell, int layers, int hidden, int batch, int steps) {
        long tokens = (long) batch * steps;
        long perLayer = (long) gates(cell) * hidden + (cell == CellType.RNN ? 0 : 2L * hidden);
        return Float.BYTES * tokens * (hidden + layers * perLayer + VOCAB);
    }

    /**
     * Bytes of the forward values kept with gradient checkpointing every k steps: the embedded inputs, the
     * logits and each layer's output h (T·B·H) for the whole sequence; one chunk's activations as
     * {@link #activationBytes} counts them (k·B rows); and the ⌈T/k⌉ boundary states (B·S, S = 2H for LSTM).
     */
    static long checkpointedActivationBytes(CellType cell, int layers, int hidden, int batch, int steps, int k) {
        long tokens = (long) batch * steps;
        int chunk = Math.min(k, steps);
        long chunkTokens = (long) batch * chunk;
        long perLayerChunk = (long) gates(cell) * hidden + (cell == CellType.RNN ? 0 : 2L * hidden);
        long boundaries = (long) ((steps + k - 1) / k) * batch * (cell == CellType.LSTM ? 2L * hidden : hidden);
        return Float.BYTES * (tokens * (hidden + VOCAB) + layers * (tokens * hidden + chunkTokens * perLayerChunk
                + boundaries));
    }

    /** Random input and target tokens, time-major (T·B). */
    static int[] randomTokens(int count, Rng rng) {
        int[] t = new int[count];
        for (int i = 0; i < count; i++) {
            t[i] = rng.nextInt(VOCAB);
        }
        return t;
    }

    /**
     * One training step of bench_rnn.py: zero the gradients, forward from a zero state, the mean
     * cross-entropy, backward, and an SGD update.
     */
    static final class Training {
        private final LanguageModel model;
        private final Sgd sgd;
        private final int[] tokens;  // (T·B)
        private final int[] targets; // (T·B)
        private final int steps;
        private final int batch;
        private final RecurrentState zero;
        private final RecurrentState state;

        Training(CellType cell, int layers, int hidden, int batch, int steps, Rng rng) {
            this(cell, layers, hidden, batch, steps, rng, RecurrentStack.NO_CHECKPOINTING);
        }

        /** @param checkpointEvery gradient checkpointing every k steps, or {@link RecurrentStack#NO_CHECKPOINTING} */
        Training(CellType cell, int layers, int hidden, int batch, int steps, Rng rng, int checkpointEvery) {
            this.model = create(cell, layers, hidden, rng);
            model.rnn().setCheckpointEvery(checkpointEvery);
            this.sgd = new Sgd(model.parameters(), LEARNING_RATE);
            Rng data = rng.split("tokens");
            this.tokens = randomTokens(batch * steps, data);
            this.targets = randomTokens(batch * steps, data);
            this.steps = steps;
            this.batch = batch;
            this.zero = model.newState(batch);
            this.state = model.newState(batch);
        }

        /** Returns the mean loss per token, so that the work cannot be optimised away. */
        double step() {
            model.zeroGrad();
            state.copyFrom(zero); // PyTorch's rnn(x, None): every step starts from zeros
            float scale = 1f / (steps * batch);
            double loss = model.forwardBackward(tokens, targets, steps, batch, state, scale).sum();
            sgd.step();
            return loss * scale;
        }
    }

    /**
     * Step-by-step generation at batch 1 as bench_rnn.py's {@code gen}: from token 0 and a zero state,
     * each step runs embedding → cell → linear, then draws the next token from the softmax.
     */
    static final class Sampling {
        private final Sampler sampler;

        Sampling(CellType cell, int layers, int hidden, Rng rng) {
            LanguageModel model = create(cell, layers, hidden, rng);
            this.sampler = new Sampler(model, new SamplingOptions(1f, 0), rng.split("sample"));
        }

        /** {@code n} network steps and {@code n} draws; returns the last token drawn. */
        double generate(int n) {
            int[] out = sampler.generate(new int[] {0}, n, id -> { });
            return out[n - 1];
        }
    }
}
