package org.rnn4j.model;

import org.rnn4j.matrix.Activation;

/**
 * The architecture of an encoder-decoder ({@link Seq2Seq}): both halves have the same cell, hidden size
 * and number of layers, so the encoder's final state can start the decoder.
 *
 * @param nonlinearity f of the Elman cell (LSTM and GRU have fixed nonlinearities)
 * @param sourceVocabSize V of the source tokens (no reserved ids)
 * @param targetVocabSize V of the target tokens, including {@link StepDecoder#BOS} = 0 and
 *                        {@link StepDecoder#EOS} = 1
 * @param embeddingDim E of both embeddings, or 0 for one-hot inputs
 * @param dropout probability of dropping each output between recurrent layers in training
 */
public record Seq2SeqConfig(CellType cell, Activation nonlinearity, int sourceVocabSize, int targetVocabSize,
                            int embeddingDim, int hiddenSize, int numLayers, float dropout) {
    public Seq2SeqConfig {
        if (targetVocabSize < StepDecoder.MIN_VOCAB_SIZE) {
            throw new IllegalArgumentException("target_vocab_size must be at least " + StepDecoder.MIN_VOCAB_SIZE
                    + " (BOS = 0, EOS = 1 and the task's tokens), got " + targetVocabSize);
        }
        shape(cell, nonlinearity, sourceVocabSize, embeddingDim, hiddenSize, numLayers, dropout); // checks the rest
    }

    /** The encoder's shape as a {@link ModelConfig}: source vocabulary, unidirectional. */
    public ModelConfig encoder() {
        return shape(cell, nonlinearity, sourceVocabSize, embeddingDim, hiddenSize, numLayers, dropout);
    }

    /** The decoder's shape as a {@link ModelConfig}: target vocabulary, unidirectional. */
    public ModelConfig decoder() {
        return shape(cell, nonlinearity, targetVocabSize, embeddingDim, hiddenSize, numLayers, dropout);
    }

    private static ModelConfig shape(CellType cell, Activation f, int vocab, int emb, int hidden, int layers,
                                     float dropout) {
        return ModelConfig.builder().cell(cell).nonlinearity(f).vocabSize(vocab).embeddingDim(emb).hiddenSize(hidden)
                .numLayers(layers).dropout(dropout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from {@link ModelConfig}'s defaults; {@link #build()} checks the invariants. */
    public static final class Builder {
        private CellType cell = ModelConfig.DEFAULT_CELL;
        private Activation nonlinearity = ModelConfig.DEFAULT_NONLINEARITY;
        private int sourceVocabSize;
        private int targetVocabSize;
        private int embeddingDim = ModelConfig.DEFAULT_EMBEDDING_DIM;
        private int hiddenSize;
        private int numLayers = ModelConfig.DEFAULT_NUM_LAYERS;
        private float dropout = ModelConfig.DEFAULT_DROPOUT;

        private Builder() {
        }

        public Builder cell(CellType v) {
            cell = v;
            return this;
        }

        public Builder nonlinearity(Activation v) {
            nonlinearity = v;
            return this;
        }

        public Builder sourceVocabSize(int v) {
            sourceVocabSize = v;
            return this;
        }

        /** V of the targets, counting BOS (id 0) and EOS (id 1). */
        public Builder targetVocabSize(int v) {
            targetVocabSize = v;
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

        public Seq2SeqConfig build() {
            return new Seq2SeqConfig(cell, nonlinearity, sourceVocabSize, targetVocabSize, embeddingDim, hiddenSize,
                    numLayers, dropout);
        }
    }
}
