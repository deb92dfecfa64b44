package org.rnn4j.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The matrix-level products of {@link Kernels}: argument checks first, then the product on views. */
class KernelsProductTest {
    private static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void innerSizeMismatchNamesBothShapes() {
        Matrix a = new Matrix(2, 3);
        Matrix b = new Matrix(4, 5);
        assertEquals("mul: left operand is 2x3 but right operand is 4x5 (inner sizes 3 and 4 differ)",
                message(() -> Kernels.mul(a, b, new Matrix(2, 5))));
        // mulTransA: op(a) = aᵀ is 3x2
        assertEquals("mulTransAAdd: left operand is 3x2 but right operand is 4x5 (inner sizes 2 and 4 differ)",
                message(() -> Kernels.mulTransAAdd(a, b, new Matrix(3, 5))));
        // mulTransB: op(b) = bᵀ is 5x4
        assertEquals("mulTransB: left operand is 2x3 but right operand is 5x4 (inner sizes 3 and 5 differ)",
                message(() -> Kernels.mulTransB(a, b, new Matrix(2, 4))));
    }

    @Test
    void wrongOutputShapeNamesTheProductShape() {
        Matrix a = new Matrix(2, 3);
        Matrix b = new Matrix(3, 4);
        assertEquals("mulAdd: output is (4, 2) but the product is (2, 4)",
                message(() -> Kernels.mulAdd(a, b, new Matrix(4, 2))));
        assertEquals("mulTransBAdd: output is (2, 2) but the product is (2, 3)",
                message(() -> Kernels.mulTransBAdd(a, new Matrix(3, 3), new Matrix(2, 2))));
    }

    @Test
    void outputSharingStorageWithAnOperandIsRejected() {
        float[] data = new float[12];
        Matrix a = Matrix.view(data, 0, 2, 2);
        Matrix b = Matrix.view(data, 4, 2, 2);
        Matrix overlapsA = Matrix.view(data, 2, 2, 2); // elements 2..5 overlap a (0..3)
        assertEquals("mul: the output shares storage with an operand", message(() -> Kernels.mul(a, b, overlapsA)));
        assertEquals("mulTransA: the output shares storage with an operand",
                message(() -> Kernels.mulTransA(a, b, b)));
        Kernels.mul(a, b, Matrix.view(data, 8, 2, 2)); // adjacent but disjoint is fine
    }

    /** A product on row views of one time-major array, the way the layers use it, on every backend. */
    @Test
    void productsOnViewsAgreeAcrossBackends() {
        Rng rng = new Rng(5);
        Matrix xs = new Matrix(3 * 7, 37); // T=3 steps of B=7 rows
        Matrix w = new Matrix(2 * 19, 37); // (G*H, D), G=2, H=19
        rng.fillUniform(xs, -1, 1);
        rng.fillUniform(w, -1, 1);
        Matrix x1 = xs.rows(7, 7); // step 1
        Gemm saved = Kernels.backend();
        try {
            Kernels.useBackend(new NaiveGemm());
            Matrix expected = new Matrix(7, 38);
            Kernels.mulTransB(x1, w, expected);
            Matrix expectedGrad = new Matrix(38, 37);
            Kernels.mulTransAAdd(expected, x1, expectedGrad);
            for (Gemm g : new Gemm[] {new ScalarGemm(), GemmSelector.select(null)}) {
                Kernels.useBackend(g);
                Matrix gates = new Matrix(7, 38);
                Kernels.mulTransB(x1, w, gates);
                Matrix grad = new Matrix(38, 37);
                Kernels.mulTransAAdd(gates, x1, grad);
                assertArrayEquals(expected.toArray(), gates.toArray(), 1e-5f, g.name() + " mulTransB");
                assertArrayEquals(expectedGrad.toArray(), grad.toArray(), 1e-4f, g.name() + " mulTransAAdd");
            }
        } finally {
            Kernels.useBackend(saved);
        }
    }
}
