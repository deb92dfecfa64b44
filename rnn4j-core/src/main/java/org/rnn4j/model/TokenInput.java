package org.rnn4j.model;

import java.util.List;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Embedding;
import org.rnn4j.nn.OneHot;
import org.rnn4j.nn.Parameter;

/** Token ids to input rows: an embedding {@code <prefix>weight} (V × E), or one-hot rows of width V when E = 0. */
final class TokenInput {
    private final int vocabSize;
    private final Embedding embedding; // null for one-hot
    private Matrix oneHot;             // (N × V) buffer for one-hot inputs

    TokenInput(String prefix, int vocabSize, int embeddingDim) {
        this.vocabSize = vocabSize;
        this.embedding = embeddingDim > 0 ? new Embedding(prefix, vocabSize, embeddingDim) : null;
    }

    /** D of the rows: E, or V for one-hot. */
    int width() {
        return embedding != null ? embedding.dim() : vocabSize;
    }

    List<Parameter> parameters() {
        return embedding != null ? embedding.parameters() : List.of();
    }

    /** nn.Embedding's initialisation, N(0, 1). */
    void initialize(Rng rng) {
        if (embedding != null) {
            rng.fillGaussian(embedding.weight().value, 1.0);
        }
    }

    /** The rows of ids[0 .. n) (n × D), cached for {@link #backward}; {@code ids} must not change until then. */
    Matrix forward(int[] ids, int n) {
        if (embedding != null) {
            return embedding.forward(ids, n);
        }
        oneHot = resize(oneHot, n, vocabSize);
        OneHot.encode(ids, n, oneHot);
        return oneHot;
    }

    /** out (n × D) = the rows of ids[0 .. n), without caching (one step of generation). */
    void lookup(int[] ids, int n, Matrix out) {
        if (embedding != null) {
            embedding.lookup(ids, n, out);
        } else {
            OneHot.encode(ids, n, out);
        }
    }

    /** Adds the embedding's gradient for ∂L/∂rows; one-hot inputs have no parameters. */
    void backward(Matrix dRows) {
        if (embedding != null) {
            embedding.backward(dRows);
        }
    }

    /** m if it has the shape, else a view of its array if large enough, else a new matrix. */
    static Matrix resize(Matrix m, int rows, int cols) {
        if (m != null && m.rows == rows && m.cols == cols) {
            return m;
        }
        if (m != null && m.offset == 0 && m.data.length >= rows * cols) {
            return Matrix.view(m.data, 0, rows, cols);
        }
        return new Matrix(rows, cols);
    }
}
