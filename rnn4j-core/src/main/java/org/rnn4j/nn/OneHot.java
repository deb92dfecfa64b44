package org.rnn4j.nn;

import org.rnn4j.matrix.Matrix;

/** Writes token ids as one-hot rows: the input encoding of a model with no embedding. */
public final class OneHot {
    private OneHot() {
    }

    /** out (n × V) = one-hot rows of ids[0 .. n). */
    public static void encode(int[] ids, int n, Matrix out) {
        if (out.rows != n) {
            throw new IllegalArgumentException("one-hot output has " + out.rows + " rows for " + n + " tokens");
        }
        out.zero();
        for (int r = 0; r < n; r++) {
            int id = ids[r];
            if (id < 0 || id >= out.cols) {
                throw new IllegalArgumentException("token id " + id + " at position " + r + " is outside the vocabulary of "
                        + out.cols + " tokens");
            }
            out.data[out.offset + r * out.cols + id] = 1f;
        }
    }

    /** The (V × V) identity: row id is the one-hot encoding of token id. */
    public static Matrix identity(int vocabSize) {
        Matrix m = new Matrix(vocabSize, vocabSize);
        for (int id = 0; id < vocabSize; id++) {
            m.data[id * vocabSize + id] = 1f;
        }
        return m;
    }
}
