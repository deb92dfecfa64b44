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

    /** A short name for reports, e.g. "vector(AVX-512, 16 lanes)". */
    String name();
}
