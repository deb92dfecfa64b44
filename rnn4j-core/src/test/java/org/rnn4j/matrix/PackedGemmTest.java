package org.rnn4j.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Products with a packed right operand ({@link Gemm#pack}, {@link Gemm#mulPacked} and the
 * {@link Kernels} entry points) against {@link NaiveGemm}'s unpacked product, on shapes that cross the
 * vector backend's tiles and tails: 1–70 rows (8- and 4-row kernels, the 1-row kernel over groups of
 * 4 strips), columns around the 32-column strip and the 4-strip group, depths across the 256 block;
 * operands at offsets inside NaN-padded arrays (the cases of {@link GemmBackendsTest}).
 */
class PackedGemmTest {
    static List<int[]> shapes() {
        List<int[]> shapes = new ArrayList<>(List.of(
                new int[] {0, 5, 3}, new int[] {4, 0, 3}, new int[] {3, 5, 0}, new int[] {1, 1, 1},
                new int[] {1, 129, 300}, new int[] {1, 512, 128}, new int[] {2, 33, 257}, new int[] {3, 100, 31},
                new int[] {4, 31, 17}, new int[] {5, 161, 40}, new int[] {7, 65, 256}, new int[] {8, 32, 255},
                new int[] {9, 97, 33}, new int[] {12, 130, 7}, new int[] {15, 45, 130}, new int[] {16, 64, 64},
                new int[] {17, 20, 513}, new int[] {31, 129, 19}, new int[] {32, 96, 128}, new int[] {33, 17, 270},
                new int[] {63, 40, 61}, new int[] {64, 200, 100}, new int[] {65, 33, 5}, new int[] {70, 150, 259}));
        SplittableRandom r = new SplittableRandom(20240607L);
        for (int t = 0; t < 40; t++) {
            int m = 1 + r.nextInt(70);
            int n = 1 + r.nextInt(200);
            int k = 1 + r.nextInt(300);
            shapes.add(new int[] {m, n, k});
        }
        return shapes;
    }

    /** The packed product of a {@link GemmBackendsTest.Case}: op MUL packs b (k×n), TRANS_B packs bᵀ. */
    static float[] runPacked(Gemm g, GemmBackendsTest.Case cs, GemmBackendsTest.Op op) {
        PackedMatrix p = g.pack(op == GemmBackendsTest.Op.TRANS_B, cs.k, cs.n, cs.b, cs.bOff, null);
        float[] c = cs.c0.clone();
        g.mulPacked(cs.m, cs.a, cs.aOff, p, c, cs.cOff, cs.beta);
        return c;
    }

    private static final GemmBackendsTest.Op[] OPS = {GemmBackendsTest.Op.MUL, GemmBackendsTest.Op.TRANS_B};

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.matrix.GemmBackendsTest#allBackends")
    void matchesNaiveOnRandomShapes(Gemm backend) {
        SplittableRandom r = new SplittableRandom(42);
        Gemm naive = new NaiveGemm();
        for (int[] s : shapes()) {
            for (GemmBackendsTest.Op op : OPS) {
                for (float beta : new float[] {0f, 1f}) {
                    GemmBackendsTest.Case cs = new GemmBackendsTest.Case(s[0], s[1], s[2], beta, r);
                    String what = backend.name() + " packed " + op + " m=" + cs.m + " n=" + cs.n + " k=" + cs.k
                            + " beta=" + beta;
                    GemmBackendsTest.assertClose(what, cs, op, cs.run(naive, op), runPacked(backend, cs, op));
                }
            }
        }
    }

    /**
     * The packed product is the unpacked one of the same backend, bit for bit; the one exception is
     * the vector backend's mulTransB below 16 rows, whose dot path sums in lanes (checked above to
     * rounding).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.matrix.GemmBackendsTest#allBackends")
    void equalsTheUnpackedProductBitForBit(Gemm backend) {
        SplittableRandom r = new SplittableRandom(5);
        for (int[] s : shapes()) {
            for (GemmBackendsTest.Op op : OPS) {
                if (backend instanceof VectorGemm && op == GemmBackendsTest.Op.TRANS_B
                        && s[0] < VectorGemm.DOT_MAX_ROWS) {
                    continue;
                }
                for (float beta : new float[] {0f, 1f}) {
                    GemmBackendsTest.Case cs = new GemmBackendsTest.Case(s[0], s[1], s[2], beta, r);
                    assertSameBits(backend.name() + " packed " + op + " m=" + cs.m + " n=" + cs.n + " k=" + cs.k,
                            cs.run(backend, op), runPacked(backend, cs, op));
                }
            }
        }
    }

    /**
     * The vector backend reads a packed operand's strips in alternating directions on successive batch-1
     * products (a cache hint); every pass must still give the unpacked product's bits, on shapes with
     * several strip groups, a partial group and several depth blocks.
     */
    @Test
    void batchOneProductsGiveTheSameBitsInEitherDirection() {
        Gemm g = new VectorGemm();
        SplittableRandom r = new SplittableRandom(11);
        for (int[] s : new int[][] {{1, 300, 600}, {2, 129, 257}, {3, 520, 100}, {1, 65, 512}, {1, 17, 3}}) {
            for (float beta : new float[] {0f, 1f}) {
                GemmBackendsTest.Case cs = new GemmBackendsTest.Case(s[0], s[1], s[2], beta, r);
                float[] expected = cs.run(g, GemmBackendsTest.Op.MUL);
                PackedMatrix p = g.pack(false, cs.k, cs.n, cs.b, cs.bOff, null);
                for (int pass = 0; pass < 3; pass++) {
                    float[] c = cs.c0.clone();
                    g.mulPacked(cs.m, cs.a, cs.aOff, p, c, cs.cOff, cs.beta);
                    assertSameBits("pass " + pass + " m=" + cs.m + " n=" + cs.n + " k=" + cs.k + " beta=" + beta,
                            expected, c);
                }
            }
        }
    }

    private static void assertSameBits(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": index " + i + " is " + actual[i] + " but " + expected[i] + " was expected");
            }
        }
    }

    /** The split over 1, 2 and 3 threads, forced on for small products, changes no bit. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.matrix.GemmBackendsTest#fastBackends")
    void resultsDoNotDependOnTheThreadCount(Gemm backend) {
        int[][] shapes = {{1, 300, 70}, {3, 129, 33}, {13, 100, 300}, {40, 77, 260}, {70, 40, 20}, {64, 512, 64}};
        SplittableRandom r = new SplittableRandom(11);
        boolean scalar = backend instanceof ScalarGemm;
        int savedThreads = scalar ? ScalarGemm.threads() : VectorGemm.threads();
        long savedThreshold = scalar ? ScalarGemm.parallelThreshold() : VectorGemm.parallelThreshold();
        try {
            if (scalar) {
                ScalarGemm.setParallelThreshold(0);
            } else {
                VectorGemm.setParallelThreshold(0);
            }
            for (int[] s : shapes) {
                for (GemmBackendsTest.Op op : OPS) {
                    GemmBackendsTest.Case cs = new GemmBackendsTest.Case(s[0], s[1], s[2], 1f, r);
                    setThreads(scalar, 1);
                    float[] one = runPacked(backend, cs, op);
                    for (int t : new int[] {2, 3}) {
                        setThreads(scalar, t);
                        assertSameBits(backend.name() + " packed " + op + " m=" + cs.m + " n=" + cs.n + " k=" + cs.k
                                + " with " + t + " threads", one, runPacked(backend, cs, op));
                    }
                }
            }
        } finally {
            setThreads(scalar, savedThreads);
            if (scalar) {
                ScalarGemm.setParallelThreshold(savedThreshold);
            } else {
                VectorGemm.setParallelThreshold(savedThreshold);
            }
        }
    }

    private static void setThreads(boolean scalar, int t) {
        if (scalar) {
            ScalarGemm.setThreads(t);
        } else {
            VectorGemm.setThreads(t);
        }
    }

    /**
     * a = [1 2 3; 4 5 6], b = [7 8; 9 10; 11 12]: a·b = [58 64; 139 154] (small integers, exact in any
     * order), through the matrix-level entry points, packing b and bᵀ.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.matrix.GemmBackendsTest#allBackends")
    void smallProductWorkedOutByHand(Gemm g) {
        Gemm saved = Kernels.backend();
        try {
            Kernels.useBackend(g);
            Matrix a = Matrix.of(2, 3, 1, 2, 3, 4, 5, 6);
            PackedMatrix b = Kernels.pack(Matrix.of(3, 2, 7, 8, 9, 10, 11, 12));
            PackedMatrix bT = Kernels.packTransB(Matrix.of(2, 3, 7, 9, 11, 8, 10, 12));
            Matrix c = Matrix.of(2, 2, Float.NaN, Float.NaN, Float.NaN, Float.NaN);
            Kernels.mulPacked(a, b, c);
            assertArrayEquals(new float[] {58, 64, 139, 154}, c.toArray(), g.name() + " mulPacked");
            c.fill(1f);
            Kernels.mulPackedAdd(a, bT, c);
            assertArrayEquals(new float[] {59, 65, 140, 155}, c.toArray(), g.name() + " mulPackedAdd, bᵀ");
            assertEquals(3, bT.rows());
            assertEquals(2, bT.cols());
        } finally {
            Kernels.useBackend(saved);
        }
    }

    /** A packed matrix is a snapshot: writing the source afterwards (an optimizer step) changes nothing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.matrix.GemmBackendsTest#allBackends")
    void aPackedMatrixIsASnapshot(Gemm g) {
        Rng rng = new Rng(3);
        Matrix w = new Matrix(40, 33);
        Matrix h = new Matrix(5, 33);
        rng.fillUniform(w, -1, 1);
        rng.fillUniform(h, -1, 1);
        PackedMatrix p = g.pack(true, 33, 40, w.data, w.offset, null);
        float[] before = new float[5 * 40];
        g.mulPacked(5, h.data, h.offset, p, before, 0, 0f);
        w.fill(7f);
        float[] after = new float[5 * 40];
        g.mulPacked(5, h.data, h.offset, p, after, 0, 0f);
        assertArrayEquals(before, after, g.name());
    }

    /**
     * Packing into the storage of an older packed matrix (larger, or too small and so replaced) gives
     * the product of a fresh pack: the padding of the strips is rewritten, not left from before.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.matrix.GemmBackendsTest#allBackends")
    void packingIntoOldStorageEqualsAFreshPack(Gemm g) {
        SplittableRandom r = new SplittableRandom(8);
        PackedMatrix old = null;
        for (int[] s : new int[][] {{3, 100, 70}, {33, 45, 300}, {5, 17, 9}, {40, 129, 257}}) {
            for (GemmBackendsTest.Op op : OPS) {
                GemmBackendsTest.Case cs = new GemmBackendsTest.Case(s[0], s[1], s[2], 1f, r);
                if (old != null) {
                    java.util.Arrays.fill(old.data, Float.NaN); // whatever the old one held must not show
                }
                PackedMatrix p = g.pack(op == GemmBackendsTest.Op.TRANS_B, cs.k, cs.n, cs.b, cs.bOff, old);
                float[] c = cs.c0.clone();
                g.mulPacked(cs.m, cs.a, cs.aOff, p, c, cs.cOff, cs.beta);
                assertSameBits(g.name() + " repacked " + op + " m=" + cs.m + " n=" + cs.n + " k=" + cs.k,
                        runPacked(g, cs, op), c);
                old = p;
            }
        }
    }

    /** Step views of one time-major array, as the layers use them: a_t += h_{t-1}·W_hhᵀ and dh = da_t·W_hh. */
    @Test
    void productsOnStepViewsMatchTheUnpackedKernels() {
        Rng rng = new Rng(9);
        int steps = 3;
        int batch = 7;
        int hidden = 37;
        Matrix h = new Matrix(steps * batch, hidden);
        Matrix w = new Matrix(4 * hidden, hidden); // (G·H, H)
        Matrix gates = new Matrix(steps * batch, 4 * hidden);
        rng.fillUniform(h, -1, 1);
        rng.fillUniform(w, -1, 1);
        rng.fillUniform(gates, -1, 1);
        Gemm saved = Kernels.backend();
        try {
            Kernels.useBackend(new NaiveGemm());
            Matrix expected = gates.copy();
            Kernels.mulTransBAdd(h.rows(batch, batch), w, expected.rows(2 * batch, batch));
            Matrix expectedDh = new Matrix(batch, hidden);
            Kernels.mul(gates.rows(batch, batch), w, expectedDh);
            for (Gemm g : new Gemm[] {new ScalarGemm(), GemmSelector.select(null)}) {
                Kernels.useBackend(g);
                Matrix actual = gates.copy();
                Kernels.mulPackedAdd(h.rows(batch, batch), Kernels.packTransB(w), actual.rows(2 * batch, batch));
                Matrix dh = new Matrix(batch, hidden);
                Kernels.mulPacked(gates.rows(batch, batch), Kernels.pack(w), dh);
                assertArrayEquals(expected.toArray(), actual.toArray(), 1e-5f, g.name() + " mulPackedAdd");
                assertArrayEquals(expectedDh.toArray(), dh.toArray(), 1e-5f, g.name() + " mulPacked");
            }
        } finally {
            Kernels.useBackend(saved);
        }
    }

    private static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void shapeErrorsNameBothSides() {
        PackedMatrix wT = Kernels.packTransB(new Matrix(8, 3)); // op(b) = wᵀ is 3x8
        assertEquals("mulPackedAdd: left operand is 2x4 but the packed right operand is 3x8 (inner sizes 4 and 3"
                        + " differ; it is " + wT.describe() + ")",
                message(() -> Kernels.mulPackedAdd(new Matrix(2, 4), wT, new Matrix(2, 8))));
        assertEquals("mulPacked: output is (2, 3) but the product is (2, 8)",
                message(() -> Kernels.mulPacked(new Matrix(2, 3), wT, new Matrix(2, 3))));
        float[] data = new float[40];
        assertEquals("mulPacked: the output shares storage with the left operand",
                message(() -> Kernels.mulPacked(Matrix.view(data, 0, 2, 3), wT, Matrix.view(data, 4, 2, 8))));
        assertEquals("(3, 8) = bᵀ of a (8, 3) matrix, packed by " + Kernels.backend().name(), wT.describe());
    }

    /** The backend that packed a matrix multiplies by it, even after the current backend changed. */
    @Test
    void theBackendThatPackedMultiplies() {
        Gemm saved = Kernels.backend();
        try {
            Gemm vector = GemmSelector.select(null);
            Kernels.useBackend(vector);
            PackedMatrix p = Kernels.pack(Matrix.of(2, 2, 1, 2, 3, 4));
            assertSame(vector, p.packer);
            Kernels.useBackend(new NaiveGemm());
            Matrix c = new Matrix(1, 2);
            Kernels.mulPacked(Matrix.of(1, 2, 1, 1), p, c);
            assertArrayEquals(new float[] {4, 6}, c.toArray());
            if (p.layout == PackedMatrix.STRIPS) { // another backend cannot read the strips
                String m = message(() -> new NaiveGemm().mulPacked(1, new float[2], 0, p, new float[2], 0, 0f));
                assertEquals("mulPacked: " + p.describe() + " is not in naive's layout: multiply with the backend"
                        + " that packed it", m);
            }
        } finally {
            Kernels.useBackend(saved);
        }
    }
}
