package org.rnn4j.matrix;

/** Chooses the matrix-multiply backend once, at class initialisation of {@link Kernels}. */
final class GemmSelector {
    private GemmSelector() {
    }

    static Gemm select() {
        // Placeholder until the fast backends land: the reference kernels.
        return new NaiveGemm();
    }
}
