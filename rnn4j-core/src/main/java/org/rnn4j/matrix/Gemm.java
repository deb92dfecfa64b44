package org.rnn4j.matrix;

/**
 * A general matrix-multiply backend over raw row-major arrays: {@code c = op(a)·op(b) + beta·c}.
 * Every operand is contiguous (leading dimension equal to its column count). {@code beta} is 0
 * (overwrite; {@code c} need not be initialised) or 1 (accumulate).
 *
 * <p>Implementations: {@link NaiveGemm} (the reference, triple loop in textbook order) and the fast
 * paths chosen at start-up by {@link Kernels}.
 */
public interface Gemm {
    /** c (m×n) = a (m×k) · b (k×n) + beta·c. */
    void mul(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float beta);

    /** c (m×n) = aᵀ · b + beta·c, where a is stored (k×m) and b (k×n). */
    void mulTransA(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float beta);

    /** c (m×n) = a · bᵀ + beta·c, where a is stored (m×k) and b (n×k). */
    void mulTransB(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float beta);

    /**
     * Packs op(b) (k×n) for {@link #mulPacked}: b is stored (k×n), or (n×k) when {@code transposed}
     * (then op(b) = bᵀ). The default keeps a plain copy of b; a backend with a packed layout overrides
     * both this and {@link #mulPacked}. {@code reuse} (or null) is a packed matrix that is no longer
     * needed: its storage is overwritten when it is large enough.
     */
    default PackedMatrix pack(boolean transposed, int k, int n, float[] b, int bOff, PackedMatrix reuse) {
        ScalarGemm.checkExtent(transposed ? "packTransB" : "pack", "b", b, bOff, (long) k * n);
        float[] copy = PackedMatrix.storage(reuse, Math.multiplyExact(k, n));
        System.arraycopy(b, bOff, copy, 0, k * n);
        return new PackedMatrix(this, PackedMatrix.COPY, transposed, k, n, copy);
    }

    /**
     * c (m×n) = a (m×k) · op(b) + beta·c, where op(b) was packed by this backend's {@link #pack}. The
     * default multiplies by the plain copy with {@link #mul} or {@link #mulTransB}, so the result is
     * that of the unpacked product bit for bit.
     */
    default void mulPacked(int m, float[] a, int aOff, PackedMatrix b, float[] c, int cOff, float beta) {
        if (b.layout != PackedMatrix.COPY) {
            throw new IllegalArgumentException("mulPacked: " + b.describe() + " is not in " + name()
                    + "'s layout: multiply with the backend that packed it");
        }
        if (b.transposed) {
            mulTransB(m, b.cols, b.rows, a, aOff, b.data, 0, c, cOff, beta);
        } else {
            mul(m, b.cols, b.rows, a, aOff, b.data, 0, c, cOff, beta);
        }
    }

    /** A short name for reports, e.g. "vector(AVX-512, 16 lanes)". */
    String name();

    /** How many threads {@link #parallel} uses at most (the kernel threads). */
    default int parallelism() {
        return 1;
    }

    /**
     * Runs {@code task} for parts 0 .. parts−1 on the kernels' threads and waits for all of them (the
     * calling thread takes a part). Products called from inside a part run on that part's thread, so a
     * caller can split independent work (the sequences of a batch) across the cores without the products
     * splitting again. The default runs the parts in order on the calling thread.
     */
    default void parallel(int parts, java.util.function.IntConsumer task) {
        for (int p = 0; p < parts; p++) {
            task.accept(p);
        }
    }
}
