package org.rnn4j.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares every {@link Gemm} backend with {@link NaiveGemm} on random shapes chosen to cross every
 * tile, tail, block and path boundary of the fast backends (register tiles of 8×32 and 4×4, 16 lanes,
 * depth blocks of 128 and 256, column blocks of 512, the row thresholds 4, 16 and 128), with array
 * offsets, both betas, and NaN guards around every operand; plus one product worked out by hand and
 * bit-identical results whatever the thread count.
 */
class GemmBackendsTest {
    /** The ops of the interface, by how op(a) and op(b) are stored. */
    enum Op {
        MUL, TRANS_A, TRANS_B;

        void run(Gemm g, int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                float beta) {
            switch (this) {
                case MUL:
                    g.mul(m, n, k, a, aOff, b, bOff, c, cOff, beta);
                    break;
                case TRANS_A:
                    g.mulTransA(m, n, k, a, aOff, b, bOff, c, cOff, beta);
                    break;
                default:
                    g.mulTransB(m, n, k, a, aOff, b, bOff, c, cOff, beta);
                    break;
            }
        }

        /** op(a)[i, p] where a is stored at a[aOff ..]. */
        float a(float[] a, int aOff, int m, int k, int i, int p) {
            return this == TRANS_A ? a[aOff + p * m + i] : a[aOff + i * k + p];
        }

        /** op(b)[p, j] where b is stored at b[bOff ..]. */
        float b(float[] b, int bOff, int n, int k, int p, int j) {
            return this == TRANS_B ? b[bOff + j * k + p] : b[bOff + p * n + j];
        }
    }

    static Stream<Gemm> fastBackends() {
        List<Gemm> backends = new ArrayList<>();
        backends.add(new ScalarGemm());
        if (GemmSelector.vectorModulePresent()) {
            backends.add(GemmSelector.select("vector"));
        }
        return backends.stream();
    }

    static Stream<Gemm> allBackends() {
        return Stream.concat(Stream.of(new NaiveGemm()), fastBackends());
    }

    /**
     * Shapes that hit each boundary on purpose (m, n, k), then random ones. Sizes near 0, 1, the lane
     * count 16, the tile sizes 4, 8, 32, the row thresholds 4, 16, 128, and depths across 128 and 256.
     */
    static List<int[]> shapes() {
        List<int[]> shapes = new ArrayList<>(List.of(
                new int[] {0, 0, 0}, new int[] {0, 5, 3}, new int[] {4, 0, 3}, new int[] {3, 5, 0},
                new int[] {1, 1, 1}, new int[] {1, 1, 17}, new int[] {1, 17, 1}, new int[] {17, 1, 1},
                new int[] {1, 512, 64}, new int[] {1, 33, 300}, new int[] {2, 70, 33}, new int[] {3, 17, 16},
                new int[] {4, 16, 15}, new int[] {5, 37, 257}, new int[] {8, 32, 256}, new int[] {9, 33, 129},
                new int[] {15, 20, 31}, new int[] {16, 32, 17}, new int[] {17, 31, 260}, new int[] {31, 65, 7},
                new int[] {33, 9, 300}, new int[] {64, 64, 64}, new int[] {127, 19, 40}, new int[] {128, 40, 33},
                new int[] {130, 35, 270}, new int[] {12, 530, 20}, new int[] {40, 513, 9}));
        SplittableRandom r = new SplittableRandom(20240601L);
        int[] sizes = {1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 24, 31, 32, 33, 47, 63, 64, 65, 100, 127, 128, 129};
        int[] depths = {1, 2, 3, 15, 16, 17, 31, 33, 64, 127, 128, 129, 255, 256, 257, 300};
        for (int t = 0; t < 60; t++) {
            int m = sizes[r.nextInt(sizes.length)];
            int n = sizes[r.nextInt(sizes.length)];
            int k = depths[r.nextInt(depths.length)];
            if ((long) m * n * k <= 600_000) {
                shapes.add(new int[] {m, n, k});
            }
        }
        return shapes;
    }

    /** Operands placed at random offsets in arrays padded with NaN, and c surrounded by sentinels. */
    static final class Case {
        final int m;
        final int n;
        final int k;
        final float beta;
        final float[] a;
        final int aOff;
        final float[] b;
        final int bOff;
        final float[] c0;
        final int cOff;

        Case(int m, int n, int k, float beta, SplittableRandom r) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.beta = beta;
            aOff = r.nextInt(6);
            bOff = r.nextInt(6);
            cOff = r.nextInt(6);
            a = padded(m * k, aOff, r, Float.NaN);
            b = padded(k * n, bOff, r, Float.NaN);
            c0 = padded(m * n, cOff, r, SENTINEL);
            if (beta == 0f) { // c need not be initialised: NaN would show if a backend read it
                java.util.Arrays.fill(c0, cOff, cOff + m * n, Float.NaN);
            }
        }

        private static float[] padded(int size, int off, SplittableRandom r, float pad) {
            float[] x = new float[off + size + r.nextInt(3)];
            java.util.Arrays.fill(x, pad);
            for (int i = 0; i < size; i++) {
                x[off + i] = (float) r.nextDouble(-1, 1);
            }
            return x;
        }

        float[] run(Gemm g, Op op) {
            float[] c = c0.clone();
            op.run(g, m, n, k, a, aOff, b, bOff, c, cOff, beta);
            return c;
        }
    }

    static final float SENTINEL = -12345.5f;

    /**
     * Tolerance. Each backend sums the k products in float in its own order (in index order, in
     * blocks, or split over lanes and added by a tree), with or without fused multiply-adds. The
     * worst-case error of such a sum is about k·eps·Σ|a·b|, but rounding errors behave like
     * independent random signs, so the error grows like sqrt(k)·eps·Σ|a·b|, and less when partial
     * sums cancel. Two results are compared, so the bound is 2·sqrt(k + 1)·eps·(Σ|a_ip·b_pj| +
     * |beta·c_ij|) (k + 1 for the final addition to c), with eps = 2^-23 the float epsilon. A dropped
     * or doubled term, about Σ|a·b|/k, is hundreds of times larger for every k used here.
     */
    static void assertClose(String what, Case cs, Op op, float[] expected, float[] actual) {
        double eps = Math.ulp(1f);
        for (int i = 0; i < expected.length; i++) {
            int e = i - cs.cOff;
            if (e < 0 || e >= cs.m * cs.n) {
                assertEquals(Float.floatToIntBits(cs.c0[i]), Float.floatToIntBits(actual[i]),
                        what + ": wrote outside c at array index " + i);
                continue;
            }
            int row = e / cs.n;
            int col = e % cs.n;
            double scale = cs.beta == 0f ? 0 : Math.abs(cs.c0[i]);
            for (int p = 0; p < cs.k; p++) {
                scale += Math.abs((double) op.a(cs.a, cs.aOff, cs.m, cs.k, row, p)
                        * op.b(cs.b, cs.bOff, cs.n, cs.k, p, col));
            }
            double tol = 2 * Math.sqrt(cs.k + 1) * eps * scale + Float.MIN_NORMAL;
            double err = Math.abs((double) actual[i] - expected[i]);
            if (!(err <= tol)) {
                fail(what + ": c[" + row + ", " + col + "] = " + actual[i] + " but expected " + expected[i]
                        + " (error " + err + " > tolerance " + tol + ")");
            }
        }
    }

    /** The exact product in double, the reference for the reference. */
    static float[] exact(Case cs, Op op) {
        float[] c = cs.c0.clone();
        for (int i = 0; i < cs.m; i++) {
            for (int j = 0; j < cs.n; j++) {
                double s = cs.beta == 0f ? 0 : cs.c0[cs.cOff + i * cs.n + j];
                for (int p = 0; p < cs.k; p++) {
                    s += (double) op.a(cs.a, cs.aOff, cs.m, cs.k, i, p) * op.b(cs.b, cs.bOff, cs.n, cs.k, p, j);
                }
                c[cs.cOff + i * cs.n + j] = (float) s;
            }
        }
        return c;
    }

    @Test
    void naiveAgreesWithTheExactProduct() {
        SplittableRandom r = new SplittableRandom(7);
        for (Op op : Op.values()) {
            for (int[] s : List.of(new int[] {3, 5, 7}, new int[] {17, 9, 300}, new int[] {1, 40, 64})) {
                for (float beta : new float[] {0f, 1f}) {
                    Case cs = new Case(s[0], s[1], s[2], beta, r);
                    assertClose("naive " + op, cs, op, exact(cs, op), cs.run(new NaiveGemm(), op));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fastBackends")
    void matchesNaiveOnRandomShapes(Gemm backend) {
        SplittableRandom r = new SplittableRandom(42);
        Gemm naive = new NaiveGemm();
        for (int[] s : shapes()) {
            for (Op op : Op.values()) {
                for (float beta : new float[] {0f, 1f}) {
                    Case cs = new Case(s[0], s[1], s[2], beta, r);
                    String what = backend.name() + " " + op + " m=" + cs.m + " n=" + cs.n + " k=" + cs.k
                            + " beta=" + beta;
                    assertClose(what, cs, op, cs.run(naive, op), cs.run(backend, op));
                }
            }
        }
    }

    /** ScalarGemm sums in naive's order, so with beta = 0 it must agree bit for bit. */
    @Test
    void scalarEqualsNaiveBitForBitWithBetaZero() {
        SplittableRandom r = new SplittableRandom(3);
        for (int[] s : shapes()) {
            for (Op op : Op.values()) {
                Case cs = new Case(s[0], s[1], s[2], 0f, r);
                float[] expected = cs.run(new NaiveGemm(), op);
                float[] actual = cs.run(new ScalarGemm(), op);
                for (int i = 0; i < expected.length; i++) {
                    if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                        fail("scalar " + op + " m=" + cs.m + " n=" + cs.n + " k=" + cs.k + ": index " + i + " is "
                                + actual[i] + ", naive gives " + expected[i]);
                    }
                }
            }
        }
    }

    /**
     * a = [1 2 3; 4 5 6], b = [7 8; 9 10; 11 12]:
     * a·b = [1·7+2·9+3·11, 1·8+2·10+3·12; 4·7+5·9+6·11, 4·8+5·10+6·12] = [58 64; 139 154].
     * Every value is a small integer, exact in float whatever the order of the sum.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("allBackends")
    void smallProductWorkedOutByHand(Gemm g) {
        float[] a = {1, 2, 3, 4, 5, 6}; // 2×3
        float[] aT = {1, 4, 2, 5, 3, 6}; // aᵀ stored 3×2
        float[] b = {7, 8, 9, 10, 11, 12}; // 3×2
        float[] bT = {7, 9, 11, 8, 10, 12}; // bᵀ stored 2×3
        float[] product = {58, 64, 139, 154};
        float[] plusOnes = {59, 65, 140, 155};

        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        g.mul(2, 2, 3, a, 0, b, 0, c, 0, 0f);
        assertArrayEquals(product, c, g.name() + " mul");
        c = new float[] {1, 1, 1, 1};
        g.mul(2, 2, 3, a, 0, b, 0, c, 0, 1f);
        assertArrayEquals(plusOnes, c, g.name() + " mul, beta 1");

        c = new float[4];
        g.mulTransA(2, 2, 3, aT, 0, b, 0, c, 0, 0f);
        assertArrayEquals(product, c, g.name() + " mulTransA");
        c = new float[] {1, 1, 1, 1};
        g.mulTransA(2, 2, 3, aT, 0, b, 0, c, 0, 1f);
        assertArrayEquals(plusOnes, c, g.name() + " mulTransA, beta 1");

        c = new float[4];
        g.mulTransB(2, 2, 3, a, 0, bT, 0, c, 0, 0f);
        assertArrayEquals(product, c, g.name() + " mulTransB");
        // With offsets: a at 1, bᵀ at 2, c at 3 inside larger arrays.
        float[] aPad = {-1, 1, 2, 3, 4, 5, 6, -1};
        float[] bPad = {-1, -1, 7, 9, 11, 8, 10, 12};
        float[] cPad = {9, 9, 9, 1, 1, 1, 1, 9};
        g.mulTransB(2, 2, 3, aPad, 1, bPad, 2, cPad, 3, 1f);
        assertArrayEquals(new float[] {9, 9, 9, 59, 65, 140, 155, 9}, cPad, g.name() + " mulTransB with offsets");
    }

    /** Every path of each backend, run with 1, 2 and 3 threads and the split forced on: same bits. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fastBackends")
    void resultsDoNotDependOnTheThreadCount(Gemm backend) {
        // m spans the vector backend's paths: mulTransB dot (<16), transposed (16..127), packed (>=128);
        // mul/mulTransA read b in place (<16) or pack it.
        int[][] shapes = {{1, 300, 70}, {7, 45, 300}, {13, 100, 33}, {40, 77, 300}, {130, 70, 260}, {200, 33, 20}};
        SplittableRandom r = new SplittableRandom(11);
        int savedThreads = threads(backend);
        long savedThreshold = threshold(backend);
        try {
            setThreshold(backend, 0);
            for (int[] s : shapes) {
                for (Op op : Op.values()) {
                    for (float beta : new float[] {0f, 1f}) {
                        Case cs = new Case(s[0], s[1], s[2], beta, r);
                        setThreads(backend, 1);
                        float[] one = cs.run(backend, op);
                        for (int t : new int[] {2, 3}) {
                            setThreads(backend, t);
                            float[] many = cs.run(backend, op);
                            for (int i = 0; i < one.length; i++) {
                                if (Float.floatToIntBits(one[i]) != Float.floatToIntBits(many[i])) {
                                    fail(backend.name() + " " + op + " m=" + cs.m + " n=" + cs.n + " k=" + cs.k
                                            + ": index " + i + " is " + many[i] + " with " + t + " threads but "
                                            + one[i] + " with 1");
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            setThreads(backend, savedThreads);
            setThreshold(backend, savedThreshold);
        }
    }

    private static int threads(Gemm g) {
        return g instanceof ScalarGemm ? ScalarGemm.threads() : VectorGemm.threads();
    }

    private static long threshold(Gemm g) {
        return g instanceof ScalarGemm ? ScalarGemm.parallelThreshold() : VectorGemm.parallelThreshold();
    }

    private static void setThreads(Gemm g, int t) {
        if (g instanceof ScalarGemm) {
            ScalarGemm.setThreads(t);
        } else {
            VectorGemm.setThreads(t);
        }
    }

    private static void setThreshold(Gemm g, long fmas) {
        if (g instanceof ScalarGemm) {
            ScalarGemm.setParallelThreshold(fmas);
        } else {
            VectorGemm.setParallelThreshold(fmas);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fastBackends")
    void rejectsBadOperandsBeforeWriting(Gemm g) {
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = {5, 5, 5, 5};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.mul(2, 2, 3, a, 1, b, 0, c, 0, 0f));
        assertTrue(e.getMessage().contains("operand a needs 6 floats from offset 1 but its array holds 6"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.mulTransB(2, 3, 3, a, 0, b, 0, c, 0, 0f));
        assertTrue(e.getMessage().contains("operand b needs 9 floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.mulTransA(-1, 2, 3, a, 0, b, 0, c, 0, 0f));
        assertTrue(e.getMessage().contains("sizes must be non-negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.mul(2, 2, 3, a, 0, b, 0, c, 0, 0.5f));
        assertTrue(e.getMessage().contains("beta must be 0 (overwrite) or 1 (accumulate), got 0.5"), e.getMessage());
        assertArrayEquals(new float[] {5, 5, 5, 5}, c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allBackends")
    void emptyDepthClearsOrKeepsTheOutput(Gemm g) {
        float[] c = {3, 3, 3, 3, 3, 3};
        g.mul(2, 3, 0, new float[0], 0, new float[0], 0, c, 0, 1f);
        assertArrayEquals(new float[] {3, 3, 3, 3, 3, 3}, c, "beta 1 keeps c");
        g.mulTransB(2, 3, 0, new float[0], 0, new float[0], 0, c, 0, 0f);
        assertArrayEquals(new float[6], c, "beta 0 clears c");
    }
}
