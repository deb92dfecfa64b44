package org.rnn4j.model;

import org.rnn4j.matrix.Activation;

/**
 * The architecture of a token-level recurrent model: embedding (or one-hot input) → L recurrent layers
 * → linear decoder to V logits. Stored in the model file as the {@code rnn4j.config} JSON; every key
 * has the default below, so older files with fewer keys still load.
 *
 * @param nonlinearity f of the Elman cell (LSTM and GRU have fixed nonlinearities)
 * @param embeddingDim E, or 0 for one-hot inputs of size V
 * @param dropout probability of dropping each output between recurrent layers in training
 * @param bidirectional whether each layer also reads the sequence backwards
 */
public record ModelConfig(CellType cell, Activation nonlinearity, int vocabSize, int embeddingDim, int hiddenSize,
                          int numLayers, float dropout, boolean bidirectional, boolean learnedInitialState) {
    public static final CellType DEFAULT_CELL = CellType.RNN;
    public static final Activation DEFAULT_NONLINEARITY = Activation.TANH;
    public static final int DEFAULT_EMBEDDING_DIM = 0;
    public static final int DEFAULT_NUM_LAYERS = 1;
    public static final float DEFAULT_DROPOUT = 0f;

    public ModelConfig {
        if (cell == null || nonlinearity == null) {
            throw new IllegalArgumentException("cell and nonlinearity are required");
        }
        if (vocabSize < 1) {
            throw new IllegalArgumentException("vocab_size must be at least 1, got " + vocabSize);
        }
        if (embeddingDim < 0) {
            throw new IllegalArgumentException("embedding_dim must be 0 (one-hot) or positive, got " + embeddingDim);
        }
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hidden_size must be at least 1, got " + hiddenSize);
        }
        if (numLayers < 1) {
            throw new IllegalArgumentException("num_layers must be at least 1, got " + numLayers);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** The width of the first recurrent layer's input: E, or V for one-hot. */
    public int inputSize() {
        return embeddingDim > 0 ? embeddingDim : vocabSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from the defaults; {@link #build()} checks the invariants. */
    public static final class Builder {
        private CellType cell = DEFAULT_CELL;
        private Activation nonlinearity = DEFAULT_NONLINEARITY;
        private int vocabSize;
        private int embeddingDim = DEFAULT_EMBEDDING_DIM;
        private int hiddenSize;
        private int numLayers = DEFAULT_NUM_LAYERS;
        private float dropout = DEFAULT_DROPOUT;
        private boolean bidirectional;
        private boolean learnedInitialState;

        public Builder cell(CellType v) {
            cell = v;
            return this;
        }

        public Builder nonlinearity(Activation v) {
            nonlinearity = v;
            return this;
        }

        public Builder vocabSize(int v) {
            vocabSize = v;
            return this;
        }

        public Builder embeddingDim(int v) {
            embeddingDim = v;
            return this;
        }

        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        public Builder numLayers(int v) {
            numLayers = v;
            return this;
        }

        public Builder dropout(float v) {
            dropout = v;
            return this;
        }

        public Builder bidirectional() {
            bidirectional = true;
            return this;
        }

        /** The initial state h0 of every layer becomes a trained parameter {@code rnn.h0_l{k}}. */
        public Builder learnedInitialState() {
            learnedInitialState = true;
            return this;
        }

        public ModelConfig build() {
            return new ModelConfig(cell, nonlinearity, vocabSize, embeddingDim, hiddenSize, numLayers, dropout,
                    bidirectional, learnedInitialState);
        }
    }
}
