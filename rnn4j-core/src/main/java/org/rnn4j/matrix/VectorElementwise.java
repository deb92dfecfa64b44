package org.rnn4j.matrix;

import static org.rnn4j.matrix.PolynomialActivation.EXP_MIN_ARG;
import static org.rnn4j.matrix.PolynomialActivation.LN2_HI;
import static org.rnn4j.matrix.PolynomialActivation.LN2_LO;
import static org.rnn4j.matrix.PolynomialActivation.LOG2E;
import static org.rnn4j.matrix.PolynomialActivation.P0;
import static org.rnn4j.matrix.PolynomialActivation.P1;
import static org.rnn4j.matrix.PolynomialActivation.P2;
import static org.rnn4j.matrix.PolynomialActivation.P3;
import static org.rnn4j.matrix.PolynomialActivation.P4;
import static org.rnn4j.matrix.PolynomialActivation.Q0;
import static org.rnn4j.matrix.PolynomialActivation.Q1;
import static org.rnn4j.matrix.PolynomialActivation.Q2;
import static org.rnn4j.matrix.PolynomialActivation.Q3;
import static org.rnn4j.matrix.PolynomialActivation.Q4;
import static org.rnn4j.matrix.PolynomialActivation.ROUND_SHIFTER;
import static org.rnn4j.matrix.PolynomialActivation.ROUND_SHIFTER_BITS;
import static org.rnn4j.matrix.PolynomialActivation.TANH_SMALL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Elementwise} on the Vector API ({@link FloatVector#SPECIES_PREFERRED}, L lanes: 16 with
 * AVX-512). Loaded only by reflection from {@link ArrayKernels}, so a JVM without the module
 * {@code jdk.incubator.vector} never links this class.
 *
 * <p>Each kernel runs L elements at a time and finishes the last n mod L one by one. The activations
 * are the float polynomials of {@link PolynomialActivation}, evaluated lane-wise with the same
 * operations in the same order (its scalar methods are the tail, so an element's result does not depend
 * on its position); tanh evaluates both of its branches and blends them. The products, sums and
 * backward passes do not fuse multiply-adds and keep the scalar order, so they give the bits of
 * {@link ScalarElementwise}; their tails call its loops.
 *
 * <p>On Java 17 every operation used here compiles to vector instructions except {@code convert(F2I)},
 * which is why the exponential reads n from the bits of a float (see {@link #expNonPositive}).
 * Measured on one AVX-512 core: σ 0.28 ns and tanh 0.35 ns per element, against 5.3–5.7 ns for the
 * scalar double-precision {@link Activation}.
 */
public final class VectorElementwise implements Elementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int SIGN_BIT = 0x80000000;

    // The exp below is written out inside each loop rather than called as a FloatVector helper. A helper
    // that C2 compiles on its own (it is hot) grows past the size C2 will still inline into a caller, and
    // a FloatVector passed across a call that is not inlined is boxed: in a JMH run, sigmoid went from
    // 0.34 to 1.5-18 ns per value once its caller was compiled around it. Arrays cross the calls instead.

    /**
     * σ over n values, lane-wise as {@link PolynomialActivation#sigmoid}: e = e^(−|a|) by
     * {@link PolynomialActivation#expNonPositive}, then σ = 1/(1+e), or e/(1+e) for a < 0.
     */
    @Override
    public void sigmoid(int n, float[] x, int xOff, float[] out, int outOff) {
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            FloatVector a = FloatVector.fromArray(S, x, xOff + k);
            // e = e^t, t = −|a| ≤ 0
            FloatVector t = a.abs().neg().max(EXP_MIN_ARG);
            FloatVector shifted = t.fma(LOG2E, ROUND_SHIFTER);                       // 1.5·2^23 + m
            FloatVector mf = shifted.sub(ROUND_SHIFTER);                              // m = round(t·log₂e)
            IntVector m = shifted.viewAsIntegralLanes().sub(ROUND_SHIFTER_BITS);     // not convert(F2I): 8x slower
            FloatVector r = mf.fma(FloatVector.broadcast(S, -LN2_HI), t);            // r = t − m·ln2
            r = mf.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = r.fma(P4, P3);
            p = p.fma(r, FloatVector.broadcast(S, P2));
            p = p.fma(r, FloatVector.broadcast(S, P1));
            p = p.fma(r, FloatVector.broadcast(S, P0));
            FloatVector er = p.fma(r.mul(r), r).add(1f);                             // e^r = 1 + r + r²·P(r)
            IntVector m1 = m.lanewise(VectorOperators.ASHR, 1);
            IntVector m2 = m.sub(m1);
            FloatVector e = er.mul(m1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(m2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()); // · 2^m in two halves
            FloatVector num = FloatVector.broadcast(S, 1f).blend(e, a.lt(0f));       // a < 0: e/(1+e)
            num.div(e.add(1f)).intoArray(out, outOff + k);
        }
        for (; k < n; k++) {
            out[outOff + k] = PolynomialActivation.sigmoid(x[xOff + k]);
        }
    }

    /**
     * tanh over n values, lane-wise as {@link PolynomialActivation#tanh}: both branches, blended, with the
     * sign of a copied back.
     */
    @Override
    public void tanh(int n, float[] x, int xOff, float[] out, int outOff) {
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            FloatVector a = FloatVector.fromArray(S, x, xOff + k);
            FloatVector abs = a.abs();
            FloatVector z = abs.mul(abs);
            FloatVector q = z.fma(Q4, Q3);
            q = q.fma(z, FloatVector.broadcast(S, Q2));
            q = q.fma(z, FloatVector.broadcast(S, Q1));
            q = q.fma(z, FloatVector.broadcast(S, Q0));
            FloatVector small = abs.mul(z).fma(q, abs);                              // |a| + |a|³·Q(a²)
            // e = e^t, t = −2|a| ≤ 0
            FloatVector t = abs.mul(-2f).max(EXP_MIN_ARG);
            FloatVector shifted = t.fma(LOG2E, ROUND_SHIFTER);
            FloatVector mf = shifted.sub(ROUND_SHIFTER);
            IntVector m = shifted.viewAsIntegralLanes().sub(ROUND_SHIFTER_BITS);
            FloatVector r = mf.fma(FloatVector.broadcast(S, -LN2_HI), t);
            r = mf.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = r.fma(P4, P3);
            p = p.fma(r, FloatVector.broadcast(S, P2));
            p = p.fma(r, FloatVector.broadcast(S, P1));
            p = p.fma(r, FloatVector.broadcast(S, P0));
            FloatVector er = p.fma(r.mul(r), r).add(1f);
            IntVector m1 = m.lanewise(VectorOperators.ASHR, 1);
            IntVector m2 = m.sub(m1);
            FloatVector e = er.mul(m1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(m2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            FloatVector large = FloatVector.broadcast(S, 1f).sub(e).div(e.add(1f));  // (1 − e)/(1 + e)
            FloatVector th = large.blend(small, abs.lt(TANH_SMALL));
            th.viewAsIntegralLanes().or(a.viewAsIntegralLanes().and(SIGN_BIT)).viewAsFloatingLanes() // copySign
                    .intoArray(out, outOff + k);
        }
        for (; k < n; k++) {
            out[outOff + k] = PolynomialActivation.tanh(x[xOff + k]);
        }
    }

    /**
     * Softmax of a row in five vector passes (max, subtract, {@link #expNonPositive}, sum, scale); the sum
     * adds lane-wise, then across the lanes.
     */
    @Override
    public double softmax(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = S.loopBound(n);
        FloatVector vMax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int k = 0;
        for (; k < bound; k += L) {
            vMax = vMax.max(FloatVector.fromArray(S, x, xOff + k));
        }
        float max = vMax.reduceLanes(VectorOperators.MAX);
        for (; k < n; k++) {
            max = Math.max(max, x[xOff + k]);
        }
        FloatVector m = FloatVector.broadcast(S, max);
        for (k = 0; k < bound; k += L) {
            FloatVector.fromArray(S, x, xOff + k).sub(m).intoArray(out, outOff + k); // ≤ 0
        }
        for (; k < n; k++) {
            out[outOff + k] = x[xOff + k] - max;
        }
        expNonPositive(n, out, outOff, out, outOff);
        FloatVector vSum = FloatVector.zero(S);
        for (k = 0; k < bound; k += L) {
            vSum = vSum.add(FloatVector.fromArray(S, out, outOff + k));
        }
        float sum = vSum.reduceLanes(VectorOperators.ADD);
        for (; k < n; k++) {
            sum += out[outOff + k];
        }
        float inv = 1f / sum;
        for (k = 0; k < bound; k += L) {
            FloatVector.fromArray(S, out, outOff + k).mul(inv).intoArray(out, outOff + k);
        }
        for (; k < n; k++) {
            out[outOff + k] *= inv;
        }
        return Math.log(sum) + max;
    }

    /** e^x for x ≤ 0 (or NaN) over n values, lane-wise as {@link PolynomialActivation#expNonPositive}. */
    @Override
    public void expNonPositive(int n, float[] x, int xOff, float[] out, int outOff) {
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            FloatVector t = FloatVector.fromArray(S, x, xOff + k).max(EXP_MIN_ARG);
            FloatVector shifted = t.fma(LOG2E, ROUND_SHIFTER);                       // 1.5·2^23 + m
            FloatVector mf = shifted.sub(ROUND_SHIFTER);                              // m = round(t·log₂e)
            IntVector m = shifted.viewAsIntegralLanes().sub(ROUND_SHIFTER_BITS);
            FloatVector r = mf.fma(FloatVector.broadcast(S, -LN2_HI), t);            // r = t − m·ln2
            r = mf.fma(FloatVector.broadcast(S, -LN2_LO), r);
            FloatVector p = r.fma(P4, P3);
            p = p.fma(r, FloatVector.broadcast(S, P2));
            p = p.fma(r, FloatVector.broadcast(S, P1));
            p = p.fma(r, FloatVector.broadcast(S, P0));
            FloatVector er = p.fma(r.mul(r), r).add(1f);                             // e^r = 1 + r + r²·P(r)
            IntVector m1 = m.lanewise(VectorOperators.ASHR, 1);
            IntVector m2 = m.sub(m1);
            er.mul(m1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(m2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats()) // · 2^m in two halves
                    .intoArray(out, outOff + k);
        }
        for (; k < n; k++) {
            out[outOff + k] = PolynomialActivation.expNonPositive(x[xOff + k]);
        }
    }

    @Override
    public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            FloatVector.fromArray(S, a, aOff + k).add(FloatVector.fromArray(S, b, bOff + k)).intoArray(out, outOff + k);
        }
        for (; k < n; k++) {
            out[outOff + k] = a[aOff + k] + b[bOff + k];
        }
    }

    @Override
    public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            FloatVector.fromArray(S, a, aOff + k).mul(FloatVector.fromArray(S, b, bOff + k)).intoArray(out, outOff + k);
        }
        for (; k < n; k++) {
            out[outOff + k] = a[aOff + k] * b[bOff + k];
        }
    }

    @Override
    public void mulAdd(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            FloatVector ab = FloatVector.fromArray(S, a, aOff + k).mul(FloatVector.fromArray(S, b, bOff + k));
            FloatVector.fromArray(S, out, outOff + k).add(ab).intoArray(out, outOff + k);
        }
        for (; k < n; k++) {
            out[outOff + k] += a[aOff + k] * b[bOff + k];
        }
    }

    @Override
    public void mulPlusMul(int n, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d, int dOff,
            float[] out, int outOff) {
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            FloatVector ab = FloatVector.fromArray(S, a, aOff + k).mul(FloatVector.fromArray(S, b, bOff + k));
            FloatVector cd = FloatVector.fromArray(S, c, cOff + k).mul(FloatVector.fromArray(S, d, dOff + k));
            ab.add(cd).intoArray(out, outOff + k);
        }
        for (; k < n; k++) {
            out[outOff + k] = a[aOff + k] * b[bOff + k] + c[cOff + k] * d[dOff + k];
        }
    }

    @Override
    public void lerp(int n, float[] t, int tOff, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            FloatVector tk = FloatVector.fromArray(S, t, tOff + k);
            FloatVector ta = FloatVector.broadcast(S, 1f).sub(tk).mul(FloatVector.fromArray(S, a, aOff + k));
            ta.add(tk.mul(FloatVector.fromArray(S, b, bOff + k))).intoArray(out, outOff + k);
        }
        for (; k < n; k++) {
            float tk = t[tOff + k];
            out[outOff + k] = (1f - tk) * a[aOff + k] + tk * b[bOff + k];
        }
    }

    @Override
    public void lstmBackward(int n, float[] gates, int gOff, float[] tanhC, int tcOff, float[] cPrev, int cpOff,
            float[] dOut, int dOutOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            int ii = gOff + k, fi = ii + n, gi = fi + n, oi = gi + n;
            FloatVector i = FloatVector.fromArray(S, gates, ii), f = FloatVector.fromArray(S, gates, fi);
            FloatVector g = FloatVector.fromArray(S, gates, gi), o = FloatVector.fromArray(S, gates, oi);
            FloatVector tc = FloatVector.fromArray(S, tanhC, tcOff + k);
            FloatVector dhT = FloatVector.fromArray(S, dh, dhOff + k);
            if (dOut != null) {
                dhT = dhT.add(FloatVector.fromArray(S, dOut, dOutOff + k));
            }
            FloatVector dO = dhT.mul(tc);                                               // do = dh*tanh(c)
            FloatVector dcT = FloatVector.fromArray(S, dc, dcOff + k).add(dhT.mul(o).mul(oneMinus(tc.mul(tc))));
            FloatVector dI = dcT.mul(g);                                                // di = dc*g
            FloatVector dF = dcT.mul(FloatVector.fromArray(S, cPrev, cpOff + k));       // df = dc*cPrev
            FloatVector dG = dcT.mul(i);                                                // dg = dc*i
            dcT.mul(f).intoArray(dc, dcOff + k);                                        // dcPrev = dc*f
            int di = dgOff + k;
            dI.mul(i).mul(oneMinus(i)).intoArray(dGates, di);
            dF.mul(f).mul(oneMinus(f)).intoArray(dGates, di + n);
            dG.mul(oneMinus(g.mul(g))).intoArray(dGates, di + 2 * n);
            dO.mul(o).mul(oneMinus(o)).intoArray(dGates, di + 3 * n);
        }
        if (k < n) { // the last n mod L units; the gate blocks stay n apart
            ScalarElementwise.lstmBackward(n - k, n, gates, gOff + k, tanhC, tcOff + k, cPrev, cpOff + k, dOut,
                    dOutOff + k, dh, dhOff + k, dc, dcOff + k, dGates, dgOff + k);
        }
    }

    @Override
    public void gruBackward(int n, float[] gates, int gOff, float[] hidden, int hidOff, float[] hPrev, int hpOff,
            float[] dOut, int dOutOff, float[] dh, int dhOff, float[] dAx, int dAxOff, float[] dAh, int dAhOff) {
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += L) {
            FloatVector r = FloatVector.fromArray(S, gates, gOff + k);
            FloatVector z = FloatVector.fromArray(S, gates, gOff + n + k);
            FloatVector nk = FloatVector.fromArray(S, gates, gOff + 2 * n + k);
            FloatVector hn = FloatVector.fromArray(S, hidden, hidOff + 2 * n + k);
            FloatVector dhT = FloatVector.fromArray(S, dh, dhOff + k);
            if (dOut != null) {
                dhT = dhT.add(FloatVector.fromArray(S, dOut, dOutOff + k));
            }
            FloatVector dn = dhT.mul(oneMinus(z));                                      // dn = dh*(1-z)
            FloatVector dz = dhT.mul(FloatVector.fromArray(S, hPrev, hpOff + k).sub(nk)); // dz = dh*(hPrev-n)
            dhT.mul(z).intoArray(dh, dhOff + k);                                        // dhPrev = dh*z
            FloatVector daN = dn.mul(oneMinus(nk.mul(nk)));                             // da_n = dn*(1-n²)
            FloatVector daR = daN.mul(hn).mul(r).mul(oneMinus(r));                      // dr*r(1-r), dr = da_n*hn
            FloatVector daZ = dz.mul(z).mul(oneMinus(z));
            daR.intoArray(dAx, dAxOff + k);
            daZ.intoArray(dAx, dAxOff + n + k);
            daN.intoArray(dAx, dAxOff + 2 * n + k);
            daR.intoArray(dAh, dAhOff + k);
            daZ.intoArray(dAh, dAhOff + n + k);
            daN.mul(r).intoArray(dAh, dAhOff + 2 * n + k);                              // dhn = da_n*r
        }
        if (k < n) {
            ScalarElementwise.gruBackward(n - k, n, gates, gOff + k, hidden, hidOff + k, hPrev, hpOff + k, dOut,
                    dOutOff + k, dh, dhOff + k, dAx, dAxOff + k, dAh, dAhOff + k);
        }
    }

    private static FloatVector oneMinus(FloatVector v) {
        return FloatVector.broadcast(S, 1f).sub(v);
    }

    @Override
    public String name() {
        return "vector(" + S.vectorBitSize() + "-bit, " + L + " lanes)";
    }
}
