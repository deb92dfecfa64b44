package org.rnn4j.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The element-wise kernels: the vector activations against the double-precision reference (max ulp
 * error as documented in {@link PolynomialActivation}), the vector body against its scalar tail, the
 * products and sums bit for bit against {@link ScalarElementwise}, and ranges that are not a
 * multiple of the lane count.
 */
class ElementwiseTest {
    private static final int RANDOM_VALUES = 1 << 22;
    private static final float[] EDGES = edges();

    /** (float) σ(x) computed in double: the reference the ulp errors are measured against. */
    static float sigmoidRef(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    static float tanhRef(float x) {
        return (float) Math.tanh((double) x);
    }

    /** Distance in units in the last place, counting the floats between; NaN only matches NaN. */
    static long ulps(float got, float want) {
        if (Float.isNaN(want) || Float.isNaN(got)) {
            return Float.isNaN(want) && Float.isNaN(got) ? 0 : Long.MAX_VALUE;
        }
        return Math.abs(orderedBits(got) - orderedBits(want));
    }

    private static long orderedBits(float f) {
        int b = Float.floatToRawIntBits(f);
        return b < 0 ? (long) Integer.MIN_VALUE - b : b; // monotone in f, −0 and +0 both 0
    }

    private static float[] edges() {
        float[] around = {0f, Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, 1e-7f, 1e-3f, 0.5f,
                PolynomialActivation.TANH_SMALL, 0.3465736f /* ln2/2 */, 0.6931472f, 1f, 1.0986123f /* ln 3 */,
                2f, 8.317766f, 9f, 9.010913f, 15f, 16.635532f, 17.32868f, 20f, 44f, 87.33655f, 88f, 88.72284f,
                100f, 103.27893f, 103.97208f, 104f, 105f, 1e10f, Float.MAX_VALUE};
        float[] out = new float[around.length * 2 * 7 + 3];
        int at = 0;
        for (float v : around) {
            float lo = v;
            for (int i = 0; i < 3; i++) {
                lo = Math.nextDown(lo);
            }
            for (int i = 0; i < 7; i++, lo = Math.nextUp(lo)) { // v − 3 ulp .. v + 3 ulp, both signs
                out[at++] = lo;
                out[at++] = -lo;
            }
        }
        out[at++] = Float.POSITIVE_INFINITY;
        out[at++] = Float.NEGATIVE_INFINITY;
        out[at] = Float.NaN;
        return out;
    }

    /** Values drawn three ways: any bit pattern, uniform in ±20, log-uniform magnitude 1e-8 .. 1e2. */
    private static float[] randomValues(long seed) {
        Rng r = new Rng(seed);
        float[] x = new float[RANDOM_VALUES + EDGES.length];
        for (int i = 0; i < RANDOM_VALUES; i++) {
            switch (i % 3) {
                case 0:
                    x[i] = Float.intBitsToFloat((int) r.nextLong());
                    break;
                case 1:
                    x[i] = r.uniform(-20f, 20f);
                    break;
                default:
                    x[i] = (float) ((r.nextDouble() < 0.5 ? -1 : 1) * Math.pow(10, r.nextDouble() * 10 - 8));
            }
        }
        System.arraycopy(EDGES, 0, x, RANDOM_VALUES, EDGES.length);
        return x;
    }

    private static Elementwise vector() {
        assumeTrue(GemmSelector.vectorModulePresent(), "run without --add-modules jdk.incubator.vector");
        return ArrayKernels.select("vector");
    }

    @Test
    void vectorSigmoidIsWithinTheDocumentedUlps() {
        Elementwise v = vector();
        float[] x = randomValues(11);
        float[] y = new float[x.length];
        v.sigmoid(x.length, x, 0, y, 0);
        long worst = 0;
        for (int i = 0; i < x.length; i++) {
            long u = ulps(y[i], sigmoidRef(x[i]));
            int at = i;
            assertTrue(u <= PolynomialActivation.SIGMOID_MAX_ULP,
                    () -> "σ(" + x[at] + ") = " + y[at] + " but the reference is " + sigmoidRef(x[at]));
            worst = Math.max(worst, u);
        }
        assertTrue(worst >= 1, "the polynomial is never off by an ulp: is the double-precision reference the one tested?");
    }

    @Test
    void vectorTanhIsWithinTheDocumentedUlps() {
        Elementwise v = vector();
        float[] x = randomValues(12);
        float[] y = new float[x.length];
        v.tanh(x.length, x, 0, y, 0);
        for (int i = 0; i < x.length; i++) {
            long u = ulps(y[i], tanhRef(x[i]));
            int at = i;
            assertTrue(u <= PolynomialActivation.TANH_MAX_ULP,
                    () -> "tanh(" + x[at] + ") = " + y[at] + " but the reference is " + tanhRef(x[at]));
        }
    }

    /**
     * Softmax of a row, both backends, against a double-precision reference: row lengths around the lane
     * count (tails), large and spread logits, in place and at offsets; the returned log-sum-exp too.
     */
    @Test
    void softmaxRowsMatchTheDoubleReference() {
        Rng r = new Rng(31);
        java.util.List<Elementwise> backends = new java.util.ArrayList<>(java.util.List.of(new ScalarElementwise()));
        if (GemmSelector.vectorModulePresent()) {
            backends.add(ArrayKernels.select("vector"));
        }
        for (Elementwise e : backends) {
            for (int n : new int[] {1, 3, 15, 16, 17, 33, 65, 200, 1000}) {
                for (float spread : new float[] {0.1f, 5f, 60f}) {
                    int off = r.nextInt(5);
                    float[] x = new float[off + n + 2];
                    for (int i = 0; i < n; i++) {
                        x[off + i] = r.uniform(-spread, spread) + 300f; // far from 0: the max must be taken out
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < n; i++) {
                        max = Math.max(max, x[off + i]);
                    }
                    double z = 0;
                    for (int i = 0; i < n; i++) {
                        z += Math.exp(x[off + i] - max);
                    }
                    float[] in = x.clone();
                    float[] out = new float[n + 3];
                    double lse = e.softmax(n, x, off, out, 2);
                    e.softmax(n, in, off, in, off); // in place
                    String what = e.name() + " n=" + n + " spread=" + spread;
                    assertEquals(Math.log(z) + max, lse, 1e-6 * (Math.log(z) + max), what + ": log-sum-exp");
                    for (int i = 0; i < n; i++) {
                        double p = Math.exp(x[off + i] - max) / z;
                        assertEquals(p, out[2 + i], 1e-5 * p + 1e-30, what + " at " + i);
                        assertEquals(out[2 + i], in[off + i], what + ": in place at " + i);
                    }
                }
            }
        }
    }

    @Test
    void specialValuesSaturateAndPropagate() {
        Elementwise v = vector();
        float[] x = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0f, -0f, 20f, -20f, 88f, -88f,
                9.1f, -9.1f, 200f, -200f, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f};
        float[] s = new float[x.length];
        float[] t = new float[x.length];
        v.sigmoid(x.length, x, 0, s, 0);
        v.tanh(x.length, x, 0, t, 0);
        for (int i = 0; i < x.length; i++) {
            assertTrue(ulps(s[i], sigmoidRef(x[i])) <= PolynomialActivation.SIGMOID_MAX_ULP, "σ(" + x[i] + ") = " + s[i]);
        }
        // exactly: σ(+∞) = 1, σ(−∞) = 0, NaN, σ(±0) = 1/2, saturated at 20, 88, 200, MAX, 0 at −200, −MAX
        assertArrayEquals(new float[] {1f, 0f, Float.NaN, 0.5f, 0.5f, 1f, 1f, 1f, 1f, 0f, 1f, 0f, 0.5f},
                new float[] {s[0], s[1], s[2], s[3], s[4], s[5], s[7], s[11], s[13], s[12], s[13], s[14], s[15]});
        assertArrayEquals(new float[] {1f, -1f, Float.NaN, 0f, -0f, 1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f,
                1e-30f}, t);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(t[4]), "tanh(−0) = −0");
        assertTrue(sigmoidRef(-88f) > 0f && s[8] > 0f, "σ(−88) is a small normal number, not 0");
    }

    @Test
    void valuesWorkedOutByHand() { // σ(ln 3) = 3/4, tanh(ln 3) = (9 − 1)/(9 + 1) = 4/5, σ(0) = 1/2
        Elementwise v = vector();
        float ln3 = (float) Math.log(3);
        float[] x = {ln3, -ln3, 0f};
        float[] s = new float[3];
        float[] t = new float[3];
        v.sigmoid(3, x, 0, s, 0);
        v.tanh(3, x, 0, t, 0);
        assertArrayEquals(new float[] {0.75f, 0.25f, 0.5f}, s, 1e-6f);
        assertArrayEquals(new float[] {0.8f, -0.8f, 0f}, t, 1e-6f);
    }

    @Test
    void vectorBodyGivesTheBitsOfTheScalarTail() {
        Elementwise v = vector();
        float[] x = randomValues(13);
        float[] s = new float[x.length];
        float[] t = new float[x.length];
        v.sigmoid(x.length, x, 0, s, 0);
        v.tanh(x.length, x, 0, t, 0);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(PolynomialActivation.sigmoid(x[i])), Float.floatToIntBits(s[i]),
                    "σ(" + x[i] + ")");
            assertEquals(Float.floatToIntBits(PolynomialActivation.tanh(x[i])), Float.floatToIntBits(t[i]),
                    "tanh(" + x[i] + ")");
        }
    }

    @Test
    void vectorExpOfNonPositiveValues() { // the softmax's exp: the scalar polynomial's bits, within 2 ulp of e^x
        Elementwise v = vector();
        float[] x = randomValues(17);
        for (int i = 0; i < x.length; i++) {
            x[i] = Float.isNaN(x[i]) ? x[i] : -Math.abs(x[i]); // x ≤ 0 (and NaN)
        }
        float[] e = new float[x.length];
        v.expNonPositive(x.length, x, 0, e, 0);
        long worst = 0;
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(PolynomialActivation.expNonPositive(x[i])), Float.floatToIntBits(e[i]),
                    "exp(" + x[i] + ")");
            if (x[i] >= -87f || Float.isNaN(x[i])) { // normal results (below, subnormals round coarsely)
                long u = ulps(e[i], (float) Math.exp(x[i]));
                assertTrue(u <= 2, "exp(" + x[i] + ") = " + e[i] + ", " + u + " ulp from " + (float) Math.exp(x[i]));
                worst = Math.max(worst, u);
            }
        }
        assertTrue(worst >= 1, "never off by an ulp: is the reference the double-precision exp?");
        float[] hand = {0f, -0.6931472f /* ln ½ */, -1f};
        float[] out = new float[3];
        v.expNonPositive(3, hand, 0, out, 0);
        assertEquals(1f, out[0]);
        assertEquals(0.5f, out[1], 1e-7f);
        assertEquals(0.36787945f, out[2], 1e-7f); // 1/e
    }

    @Test
    void scalarBackendIsTheDoubleReference() {
        Elementwise s = ArrayKernels.select("scalar");
        float[] x = randomValues(14);
        float[] y = new float[x.length];
        s.sigmoid(x.length, x, 0, y, 0);
        for (int i = 0; i < x.length; i += 7) {
            assertEquals(Activation.sigmoid(x[i]), y[i], "σ(" + x[i] + ")");
        }
        s.tanh(x.length, x, 0, y, 0);
        for (int i = 0; i < x.length; i += 7) {
            assertEquals(Activation.tanh(x[i]), y[i], "tanh(" + x[i] + ")");
        }
    }

    @Test
    void rangesWithTailsAndOffsetsTouchOnlyTheirElements() {
        Elementwise v = vector();
        Elementwise s = ArrayKernels.select("scalar");
        Rng r = new Rng(15);
        for (int n = 0; n <= 70; n++) {
            for (int off : new int[] {0, 1, 5, 17}) {
                float[] x = new float[n + 40];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.uniform(-12f, 12f);
                }
                float[] outV = new float[n + 40];
                Arrays.fill(outV, 42f);
                v.tanh(n, x, off, outV, off + 3);
                float[] inPlace = x.clone();
                v.sigmoid(n, inPlace, off, inPlace, off);
                for (int i = 0; i < x.length; i++) {
                    boolean inside = i >= off && i < off + n;
                    if (inside) {
                        assertTrue(ulps(outV[i + 3], tanhRef(x[i])) <= PolynomialActivation.TANH_MAX_ULP, "tanh at " + i);
                        assertTrue(ulps(inPlace[i], sigmoidRef(x[i])) <= PolynomialActivation.SIGMOID_MAX_ULP,
                                "σ at " + i);
                    } else {
                        assertEquals(x[i], inPlace[i], "n=" + n + " off=" + off + ": element " + i + " was changed");
                    }
                    if (i < off + 3 || i >= off + 3 + n) {
                        assertEquals(42f, outV[i], "n=" + n + " off=" + off + ": out[" + i + "] was written");
                    }
                }
                checkArithmetic(v, s, n, off, r);
            }
        }
    }

    /** The products and sums give the scalar bits, including in place. */
    private static void checkArithmetic(Elementwise v, Elementwise s, int n, int off, Rng r) {
        float[][] in = new float[4][n + 40];
        for (float[] a : in) {
            for (int i = 0; i < a.length; i++) {
                a[i] = r.uniform(-3f, 3f);
            }
        }
        float[] a = in[0], b = in[1], c = in[2], d = in[3];
        float[] outV = new float[n + 40];
        float[] outS = new float[n + 40];
        for (int op = 0; op < 5; op++) {
            Arrays.fill(outV, 7f);
            Arrays.fill(outS, 7f);
            for (Elementwise e : new Elementwise[] {v, s}) {
                float[] out = e == v ? outV : outS;
                switch (op) {
                    case 0:
                        e.add(n, a, off, b, off + 1, out, off + 2);
                        break;
                    case 1:
                        e.mul(n, a, off + 3, b, off, out, off);
                        break;
                    case 2:
                        e.mulAdd(n, a, off, b, off + 5, out, off + 1);
                        break;
                    case 3:
                        e.mulPlusMul(n, a, off, b, off + 1, c, off + 2, d, off + 3, out, off + 4);
                        break;
                    default:
                        e.lerp(n, a, off, b, off + 1, c, off + 2, out, off);
                }
            }
            assertArrayEquals(outS, outV, "op " + op + ", n=" + n + ", off=" + off);
        }
        float[] inPlaceV = b.clone();
        float[] inPlaceS = b.clone();
        v.mulAdd(n, a, off, c, off, inPlaceV, off);
        s.mulAdd(n, a, off, c, off, inPlaceS, off);
        assertArrayEquals(inPlaceS, inPlaceV);
    }

    @Test
    void fusedBackwardPassesGiveTheScalarBits() {
        Elementwise v = vector();
        Elementwise s = ArrayKernels.select("scalar");
        Rng r = new Rng(16);
        for (int n : new int[] {1, 7, 16, 17, 40, 128, 131}) {
            for (boolean withOutput : new boolean[] {true, false}) {
                int off = n % 5;
                float[] gates = random(r, 4 * n + 9), other = random(r, 4 * n + 9), prev = random(r, n + 9);
                float[] dOut = withOutput ? random(r, n + 9) : null;
                float[][] outV = {random(r, n + 9), random(r, n + 9), new float[4 * n + 9], new float[4 * n + 9]};
                float[][] outS = {outV[0].clone(), outV[1].clone(), outV[2].clone(), outV[3].clone()};
                for (Elementwise e : new Elementwise[] {v, s}) {
                    float[][] o = e == v ? outV : outS;
                    e.lstmBackward(n, gates, off, other, off + 1, prev, off + 2, dOut, off + 3, o[0], off, o[1], off + 4,
                            o[2], off + 5);
                }
                for (int q = 0; q < 4; q++) {
                    assertArrayEquals(outS[q], outV[q], "lstmBackward n=" + n + " output " + q);
                }
                for (Elementwise e : new Elementwise[] {v, s}) {
                    float[][] o = e == v ? outV : outS;
                    e.gruBackward(n, gates, off, other, off + 1, prev, off + 2, dOut, off + 3, o[0], off, o[2], off + 4,
                            o[3], off + 5);
                }
                for (int q = 0; q < 4; q++) {
                    assertArrayEquals(outS[q], outV[q], "gruBackward n=" + n + " output " + q);
                }
            }
        }
    }

    /** One unit worked out by hand: i=.5, f=.25, g=.5, o=.5, tanh(c)=.5, cPrev=2, dh=1, dOut=1, dc=1. */
    @Test
    void lstmBackwardWorkedOutByHand() {
        float[] gates = {0.5f, 0.25f, 0.5f, 0.5f};
        float[] dh = {1f};
        float[] dc = {1f};
        float[] dGates = new float[4];
        ArrayKernels.backend().lstmBackward(1, gates, 0, new float[] {0.5f}, 0, new float[] {2f}, 0, new float[] {1f}, 0,
                dh, 0, dc, 0, dGates, 0);
        // dh' = 2, do = 1, dc' = 1 + 2*.5*(1 - .25) = 1.75; di = .875, df = 3.5, dg = .875; dcPrev = .4375
        assertArrayEquals(new float[] {0.4375f}, dc);
        assertArrayEquals(new float[] {0.875f * 0.25f, 3.5f * 0.25f * 0.75f, 0.875f * 0.75f, 0.25f}, dGates);
        assertArrayEquals(new float[] {1f}, dh, "dh is read only");
    }

    private static float[] random(Rng r, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = r.uniform(-1f, 1f);
        }
        return a;
    }

    @Test
    void arithmeticWorkedOutByHand() {
        Elementwise e = ArrayKernels.backend();
        float[] t = {0f, 0.25f, 1f};
        float[] a = {1f, 2f, 3f};
        float[] b = {5f, 6f, 7f};
        float[] out = new float[3];
        e.lerp(3, t, 0, a, 0, b, 0, out, 0);
        assertArrayEquals(new float[] {1f, 0.75f * 2f + 0.25f * 6f, 7f}, out);
        e.mulPlusMul(3, a, 0, b, 0, t, 0, b, 0, out, 0); // a·b + t·b
        assertArrayEquals(new float[] {5f, 12f + 1.5f, 21f + 7f}, out);
    }

    @Test
    void selectorPicksAndNamesTheBackends() {
        assertInstanceOf(ScalarElementwise.class, ArrayKernels.select(" Scalar "));
        assertEquals("scalar", ArrayKernels.select("scalar").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrayKernels.select("svml"));
        assertEquals("rnn4j.elementwise=svml is not one of scalar, vector", e.getMessage());
        if (GemmSelector.vectorModulePresent()) {
            assertEquals("org.rnn4j.matrix.VectorElementwise", ArrayKernels.select(null).getClass().getName());
            assertTrue(ArrayKernels.select("").name().startsWith("vector("));
        } else {
            assertInstanceOf(ScalarElementwise.class, ArrayKernels.select(null));
        }
    }
}
