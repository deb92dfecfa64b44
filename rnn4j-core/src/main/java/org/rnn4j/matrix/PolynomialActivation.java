package org.rnn4j.matrix;

/**
 * The float polynomial exp, sigmoid and tanh of {@link VectorElementwise}, written out for one value.
 * The vector code performs the same operations in the same order lane by lane, so this is both the
 * readable statement of the method and the tail of a vector loop (an element gives the same bits
 * whatever its position). The accurate reference is {@link Activation#sigmoid} / {@link Activation#tanh}
 * (in double).
 *
 * <p>Method (the classic one of Cody and Waite, "Software Manual for the Elementary Functions", 1980,
 * also used by Cephes {@code expf}); the coefficients are our own minimax fits, made by
 * {@code scripts/fit_activation_polys.py}:
 * <pre>
 *   e^x, x ≤ 0:   n = round(x·log₂e),  r = x − n·ln2 (ln2 in two parts, so r is exact),  |r| ≤ ln2/2
 *                 e^r ≈ 1 + r + r²·P(r)        (P degree 4, relative error 3.9e-9 ≈ 0.06 ulp)
 *                 e^x = e^r · 2^⌊n/2⌋ · 2^(n−⌊n/2⌋)   (two normal scales, so results down to 2^-149)
 *   σ(a)     = 1 / (1 + e)  for a ≥ 0,   e / (1 + e)  for a &lt; 0,   with e = e^(−|a|)   (never overflows)
 *   tanh(a)  = sign(a)·(|a| + |a|³·Q(a²))               for |a| &lt; 0.625 (Q degree 4, rel. error 8.6e-9)
 *            = sign(a)·(1 − e) / (1 + e),  e = e^(−2|a|)  otherwise  (no cancellation: e &lt; 0.29)
 * </pre>
 * |x| is clamped to {@value #EXP_MIN_ARG} before the exponential (e^−104 already rounds to 0), so
 * large and infinite arguments saturate: σ(+∞) = 1, σ(−∞) = 0, tanh(±∞) = ±1. NaN propagates
 * (the clamp keeps it, and a NaN lane takes the exponential branch). tanh(−0) = −0.
 *
 * <p>Measured against the double-precision reference ({@code (float) (1 / (1 + exp(−(double) x)))},
 * {@code (float) Math.tanh((double) x)}) on every float (ActivationUlpScan in the tests): at most
 * {@value #SIGMOID_MAX_ULP} ulp for σ (97.1% exact) and {@value #TANH_MAX_ULP} ulp for tanh (99.2% exact).
 */
final class PolynomialActivation {
    /** The documented bounds, asserted by the tests. */
    static final int SIGMOID_MAX_ULP = 2;
    static final int TANH_MAX_ULP = 2;

    /** Arguments of {@link #expNonPositive} are clamped here: e^−104 &lt; 2^−150 rounds to 0. */
    static final float EXP_MIN_ARG = -104f;
    static final float LOG2E = 1.44269504f;
    /** ln2 = LN2_HI + LN2_LO; LN2_HI has 9 significant bits, so n·LN2_HI is exact for |n| ≤ 2^15. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds a float of magnitude below 2^22 to an integer (round half even). */
    static final float ROUND_SHIFTER = 12582912f;
    /**
     * Its bits: 1.5·2^23 + n lies in [2^23, 2^24), where floats are the integers, so its bits are
     * ROUND_SHIFTER_BITS + n (cheaper than converting n to int on the Vector API of Java 17).
     */
    static final int ROUND_SHIFTER_BITS = Float.floatToRawIntBits(ROUND_SHIFTER);
    /** P(r) = P0 + P1 r + … + P4 r⁴ ≈ (e^r − 1 − r) / r² on |r| ≤ ln2/2. */
    static final float P0 = 0.4999999403953552f;
    static final float P1 = 0.1666652113199234f;
    static final float P2 = 0.04166838899254799f;
    static final float P3 = 0.008368710055947304f;
    static final float P4 = 0.0013814610429108143f;
    /** Below this |a|, tanh uses the odd polynomial. */
    static final float TANH_SMALL = 0.625f;
    /** Q(z) = Q0 + Q1 z + … + Q4 z⁴ ≈ (tanh(a) − a) / a³, z = a², on |a| ≤ 0.625. */
    static final float Q0 = -0.3333328068256378f;
    static final float Q1 = 0.13331441581249237f;
    static final float Q2 = -0.05373971536755562f;
    static final float Q3 = 0.02063908986747265f;
    static final float Q4 = -0.005704990588128567f;

    private PolynomialActivation() {
    }

    /** e^x for x ≤ 0 (or NaN). */
    static float expNonPositive(float x) {
        x = Math.max(x, EXP_MIN_ARG);
        float shifted = Math.fma(x, LOG2E, ROUND_SHIFTER);               // 1.5·2^23 + n, exactly
        float nf = shifted - ROUND_SHIFTER;                              // n = round(x·log₂e)
        int n = Float.floatToRawIntBits(shifted) - ROUND_SHIFTER_BITS;  // n again, as an int
        float r = Math.fma(nf, -LN2_HI, x);                             // r = x − n·ln2
        r = Math.fma(nf, -LN2_LO, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(P4, r, P3), r, P2), r, P1), r, P0);
        float er = Math.fma(p, r * r, r) + 1f;                          // e^r = 1 + r + r²·P(r)
        int n1 = n >> 1;
        int n2 = n - n1;
        return er * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
    }

    /** σ(a) = 1 / (1 + e^(−a)). */
    static float sigmoid(float a) {
        float e = expNonPositive(-Math.abs(a));
        return (a < 0f ? e : 1f) / (1f + e);
    }

    /** tanh(a), computed on |a| and given the sign of a (so tanh(−0) = −0). */
    static float tanh(float a) {
        float abs = Math.abs(a);
        float t;
        if (abs < TANH_SMALL) {
            float z = abs * abs;
            float q = Math.fma(Math.fma(Math.fma(Math.fma(Q4, z, Q3), z, Q2), z, Q1), z, Q0);
            t = Math.fma(abs * z, q, abs);                              // |a| + |a|³·Q(a²)
        } else {
            float e = expNonPositive(-2f * abs);
            t = (1f - e) / (1f + e);
        }
        return Math.copySign(t, a);
    }
}
