package org.rnn4j.nn;

import java.util.List;
import org.rnn4j.matrix.ArrayKernels;
import org.rnn4j.matrix.Matrix;

/**
 * A lookup table of token vectors, as PyTorch's {@code nn.Embedding}: weight (V, E), row i is the vector
 * of token i. Backward adds each output row's gradient into the row of its token.
 */
public final class Embedding {
    private final int vocabSize;
    private final int dim;
    final Parameter weight; // (V, E)
    private final StepBuffers buf = new StepBuffers();
    private int[] tokens;
    private int count;

    public Embedding(String namePrefix, int vocabSize, int dim) {
        if (vocabSize <= 0 || dim <= 0) {
            throw new IllegalArgumentException("embedding sizes must be positive, got V=" + vocabSize + ", E=" + dim);
        }
        this.vocabSize = vocabSize;
        this.dim = dim;
        this.weight = Parameter.matrix(namePrefix + "weight", vocabSize, dim);
    }

    public int dim() {
        return dim;
    }

    public Parameter weight() {
        return weight;
    }

    public List<Parameter> parameters() {
        return List.of(weight);
    }

    /** Rows of the table for tokens[0 .. n) as an (n × E) matrix owned by the layer. */
    public Matrix forward(int[] ids, int n) {
        Matrix out = buf.matrix("out", n, dim);
        lookup(ids, n, out);
        this.tokens = ids;
        this.count = n;
        return out;
    }

    /** out (n × E) = the rows of the given tokens, without caching. */
    public void lookup(int[] ids, int n, Matrix out) {
        out.requireShape(n, dim, "embedding output");
        float[] w = weight.value.data;
        for (int r = 0; r < n; r++) {
            int id = ids[r];
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("token id " + id + " at position " + r + " is outside the vocabulary of "
                        + vocabSize + " tokens");
            }
            System.arraycopy(w, id * dim, out.data, out.offset + r * dim, dim);
        }
    }

    /**
     * weight.grad[token_r] += dOut[r] for every row r of the last forward, in order of r, on the
     * element-wise kernels. It stays on one thread: split by columns across two, it measured 1.6-1.8x slower
     * than on one (2048 x 128 to 4096 x 512, with another build running), probably for the reason found
     * later in {@link org.rnn4j.matrix.Kernels#sumRowsAdd}: the parts' columns meet inside a cache line of
     * every row they write.
     */
    public void backward(Matrix dOut) {
        if (tokens == null) {
            throw new IllegalStateException("backward() called before forward(): run forward on a batch first");
        }
        dOut.requireShape(count, dim, "gradient of the embedding output");
        float[] g = weight.grad.data;
        for (int r = 0; r < count; r++) {
            int base = tokens[r] * dim;
            ArrayKernels.add(dim, g, base, dOut.data, dOut.offset + r * dim, g, base);
        }
    }
}
