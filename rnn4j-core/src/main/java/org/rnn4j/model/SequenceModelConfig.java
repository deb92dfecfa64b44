package org.rnn4j.model;

import org.rnn4j.matrix.Activation;

/**
 * The architecture of a {@link SequenceModel}: input (tokens through an embedding or one-hot, or D real
 * features per step) → L recurrent layers → a linear head to K outputs, read once per sequence or at
 * every step ({@link SequenceShape}), with the loss of the {@link SequenceTask}.
 *
 * @param task what is predicted; decides the loss (cross-entropy over K classes, or squared error)
 * @param shape many-to-one or many-to-many; CLASSIFY must be many-to-one, TAG many-to-many
 * @param nonlinearity f of the Elman cell (LSTM and GRU have fixed nonlinearities)
 * @param vocabSize V for token input, or 0 for real-valued input
 * @param embeddingDim E for an embedding of the tokens, or 0 for one-hot inputs of size V
 * @param featureSize D for real-valued input, or 0 for token input
 * @param outputSize K: classes (at least 2) or real values per output
 * @param dropout probability of dropping each output between recurrent layers in training
 */
public record SequenceModelConfig(SequenceTask task, SequenceShape shape, CellType cell, Activation nonlinearity,
                                  int vocabSize, int embeddingDim, int featureSize, int hiddenSize, int numLayers,
                                  float dropout, boolean bidirectional, boolean learnedInitialState, int outputSize) {
    public SequenceModelConfig {
        if (task == null || shape == null || cell == null || nonlinearity == null) {
            throw new IllegalArgumentException("task, shape, cell and nonlinearity are required");
        }
        if (vocabSize < 0 || featureSize < 0 || embeddingDim < 0) {
            throw new IllegalArgumentException("vocab_size, feature_size and embedding_dim must not be negative, got "
                    + vocabSize + ", " + featureSize + ", " + embeddingDim);
        }
        if ((vocabSize > 0) == (featureSize > 0)) {
            throw new IllegalArgumentException(vocabSize > 0
                    ? "give either vocab_size (token input) or feature_size (real-valued input), not both"
                    : "the input needs vocab_size (token input) or feature_size (real values per step)");
        }
        if (embeddingDim > 0 && vocabSize == 0) {
            throw new IllegalArgumentException("an embedding needs token input: set vocab_size, or leave embedding_dim at"
                    + " 0 for real-valued features");
        }
        if (hiddenSize < 1 || numLayers < 1) {
            throw new IllegalArgumentException("hidden_size and num_layers must be at least 1, got " + hiddenSize + ", "
                    + numLayers);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (outputSize < 1) {
            throw new IllegalArgumentException("output_size must be at least 1, got " + outputSize);
        }
        if (task.isClassification() && outputSize < 2) {
            throw new IllegalArgumentException("task " + task.id() + " needs at least 2 classes (output_size), got "
                    + outputSize + ": with one class there is nothing to learn");
        }
        if (task == SequenceTask.CLASSIFY && shape != SequenceShape.MANY_TO_ONE) {
            throw new IllegalArgumentException("a class at every step is tagging: use task tag instead of classify with "
                    + "shape " + shape.id());
        }
        if (task == SequenceTask.TAG && shape != SequenceShape.MANY_TO_MANY) {
            throw new IllegalArgumentException("tagging predicts a class at every step (many-to-many); for one class per"
                    + " sequence use task classify");
        }
    }

    /** Whether the input is token ids (embedding or one-hot) rather than real-valued features. */
    public boolean tokenInput() {
        return vocabSize > 0;
    }

    /** The width of the first recurrent layer's input: E, V (one-hot) or D. */
    public int inputSize() {
        return embeddingDim > 0 ? embeddingDim : tokenInput() ? vocabSize : featureSize;
    }

    /** The recurrent stack this config describes (not initialised). */
    public RecurrentStack newStack() {
        RecurrentStack.Builder b = RecurrentStack.builder(cell, inputSize(), hiddenSize).nonlinearity(nonlinearity)
                .numLayers(numLayers).dropout(dropout);
        if (bidirectional) {
            b.bidirectional();
        }
        if (learnedInitialState) {
            b.learnedInitialState();
        }
        return b.build();
    }

    public static Builder builder(SequenceTask task) {
        return new Builder(task);
    }

    /**
     * A builder starting from {@link ModelConfig}'s defaults, with the task's {@link SequenceTask#defaultShape()
     * default shape}; {@link #build()} checks the invariants.
     */
    public static final class Builder {
        private final SequenceTask task;
        private SequenceShape shape;
        private CellType cell = ModelConfig.DEFAULT_CELL;
        private Activation nonlinearity = ModelConfig.DEFAULT_NONLINEARITY;
        private int vocabSize;
        private int embeddingDim = ModelConfig.DEFAULT_EMBEDDING_DIM;
        private int featureSize;
        private int hiddenSize;
        private int numLayers = ModelConfig.DEFAULT_NUM_LAYERS;
        private float dropout = ModelConfig.DEFAULT_DROPOUT;
        private boolean bidirectional;
        private boolean learnedInitialState;
        private int outputSize;

        private Builder(SequenceTask task) {
            this.task = task;
        }

        public Builder shape(SequenceShape v) {
            shape = v;
            return this;
        }

        public Builder cell(CellType v) {
            cell = v;
            return this;
        }

        public Builder nonlinearity(Activation v) {
            nonlinearity = v;
            return this;
        }

        /** Token input over V ids: one-hot, or through an embedding with {@link #embeddingDim}. */
        public Builder vocabSize(int v) {
            vocabSize = v;
            return this;
        }

        public Builder embeddingDim(int v) {
            embeddingDim = v;
            return this;
        }

        /** Real-valued input of D features per step. */
        public Builder featureSize(int v) {
            featureSize = v;
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

        public Builder learnedInitialState() {
            learnedInitialState = true;
            return this;
        }

        /** K: the number of classes, or of real values per output. */
        public Builder outputSize(int v) {
            outputSize = v;
            return this;
        }

        public SequenceModelConfig build() {
            if (task == null) {
                throw new IllegalArgumentException("a task is required: classify, tag or forecast");
            }
            return new SequenceModelConfig(task, shape != null ? shape : task.defaultShape(), cell, nonlinearity,
                    vocabSize, embeddingDim, featureSize, hiddenSize, numLayers, dropout, bidirectional,
                    learnedInitialState, outputSize);
        }
    }
}
