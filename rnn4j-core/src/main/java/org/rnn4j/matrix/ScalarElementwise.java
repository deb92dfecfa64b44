package org.rnn4j.matrix;

/**
 * The plain-loop {@link Elementwise}: the fallback when the Vector API is absent, and the reference
 * of the vector kernels. Its activations are {@link Activation#sigmoid} and {@link Activation#tanh}
 * (computed in double, so within half an ulp or so of the exact value).
 */
public final class ScalarElementwise implements Elementwise {
    @Override
    public void sigmoid(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int k = 0; k < n; k++) {
            out[outOff + k] = Activation.sigmoid(x[xOff + k]);
        }
    }

    @Override
    public void tanh(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int k = 0; k < n; k++) {
            out[outOff + k] = Activation.tanh(x[xOff + k]);
        }
    }

    @Override
    public void expNonPositive(int n, float[] x, int xOff, float[] out, int outOff) {
        for (int k = 0; k < n; k++) {
            out[outOff + k] = (float) Math.exp(x[xOff + k]);
        }
    }

    @Override
    public double softmax(int n, float[] x, int xOff, float[] out, int outOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, x[xOff + k]);
        }
        for (int k = 0; k < n; k++) {
            out[outOff + k] = x[xOff + k] - max; // ≤ 0
        }
        expNonPositive(n, out, outOff, out, outOff);
        float sum = 0f;
        for (int k = 0; k < n; k++) {
            sum += out[outOff + k];
        }
        float inv = 1f / sum;
        for (int k = 0; k < n; k++) {
            out[outOff + k] *= inv;
        }
        return Math.log(sum) + max;
    }

    @Override
    public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int k = 0; k < n; k++) {
            out[outOff + k] = a[aOff + k] + b[bOff + k];
        }
    }

    @Override
    public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int k = 0; k < n; k++) {
            out[outOff + k] = a[aOff + k] * b[bOff + k];
        }
    }

    @Override
    public void mulAdd(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int k = 0; k < n; k++) {
            out[outOff + k] += a[aOff + k] * b[bOff + k];
        }
    }

    @Override
    public void mulPlusMul(int n, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float[] d, int dOff,
            float[] out, int outOff) {
        for (int k = 0; k < n; k++) {
            out[outOff + k] = a[aOff + k] * b[bOff + k] + c[cOff + k] * d[dOff + k];
        }
    }

    @Override
    public void lerp(int n, float[] t, int tOff, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        for (int k = 0; k < n; k++) {
            float tk = t[tOff + k];
            out[outOff + k] = (1f - tk) * a[aOff + k] + tk * b[bOff + k];
        }
    }

    @Override
    public void lstmBackward(int n, float[] gates, int gOff, float[] tanhC, int tcOff, float[] cPrev, int cpOff,
            float[] dOut, int dOutOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        lstmBackward(n, n, gates, gOff, tanhC, tcOff, cPrev, cpOff, dOut, dOutOff, dh, dhOff, dc, dcOff, dGates, dgOff);
    }

    /** {@link #lstmBackward} on the first {@code count} units of rows whose gate blocks are n apart. */
    static void lstmBackward(int count, int n, float[] gates, int gOff, float[] tanhC, int tcOff, float[] cPrev,
            int cpOff, float[] dOut, int dOutOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates,
            int dgOff) {
        for (int k = 0; k < count; k++) {
            int ii = gOff + k, fi = ii + n, gi = fi + n, oi = gi + n;
            float i = gates[ii], f = gates[fi], g = gates[gi], o = gates[oi];
            float tc = tanhC[tcOff + k];
            float dhT = dOut == null ? dh[dhOff + k] : dh[dhOff + k] + dOut[dOutOff + k];
            // h = o*tanh(c)  =>  do = dh*tanh(c),  dc += dh*o*(1 - tanh²(c))
            float dO = dhT * tc;
            float dcT = dc[dcOff + k] + dhT * o * (1f - tc * tc);
            // c = f*cPrev + i*g  =>  di = dc*g, df = dc*cPrev, dg = dc*i, dcPrev = dc*f
            float dI = dcT * g;
            float dF = dcT * cPrev[cpOff + k];
            float dG = dcT * i;
            dc[dcOff + k] = dcT * f;
            // i, f, o = σ(a)  =>  da = d·y(1-y);   g = tanh(a)  =>  da = dg*(1-g²)
            int di = dgOff + k;
            dGates[di] = dI * i * (1f - i);
            dGates[di + n] = dF * f * (1f - f);
            dGates[di + 2 * n] = dG * (1f - g * g);
            dGates[di + 3 * n] = dO * o * (1f - o);
        }
    }

    @Override
    public void gruBackward(int n, float[] gates, int gOff, float[] hidden, int hidOff, float[] hPrev, int hpOff,
            float[] dOut, int dOutOff, float[] dh, int dhOff, float[] dAx, int dAxOff, float[] dAh, int dAhOff) {
        gruBackward(n, n, gates, gOff, hidden, hidOff, hPrev, hpOff, dOut, dOutOff, dh, dhOff, dAx, dAxOff, dAh, dAhOff);
    }

    /** {@link #gruBackward} on the first {@code count} units of rows whose gate blocks are n apart. */
    static void gruBackward(int count, int n, float[] gates, int gOff, float[] hidden, int hidOff, float[] hPrev,
            int hpOff, float[] dOut, int dOutOff, float[] dh, int dhOff, float[] dAx, int dAxOff, float[] dAh,
            int dAhOff) {
        for (int k = 0; k < count; k++) {
            float r = gates[gOff + k], z = gates[gOff + n + k], nk = gates[gOff + 2 * n + k];
            float hn = hidden[hidOff + 2 * n + k];
            float hp = hPrev[hpOff + k];
            float dhT = dOut == null ? dh[dhOff + k] : dh[dhOff + k] + dOut[dOutOff + k];
            // h = (1-z)*n + z*hPrev  =>  dn = dh*(1-z), dz = dh*(hPrev-n), dhPrev = dh*z (+ dAh·W_hh later)
            float dn = dhT * (1f - z);
            float dz = dhT * (hp - nk);
            dh[dhOff + k] = dhT * z;
            // n = tanh(a_n), a_n = ax_n + r*hn  =>  da_n = dn*(1-n²), dr = da_n*hn, dhn = da_n*r
            float daN = dn * (1f - nk * nk);
            float dr = daN * hn;
            // r, z = σ(a)  =>  da = d·y(1-y); the input and hidden sides share it
            float daR = dr * r * (1f - r);
            float daZ = dz * z * (1f - z);
            dAx[dAxOff + k] = daR;
            dAx[dAxOff + n + k] = daZ;
            dAx[dAxOff + 2 * n + k] = daN;
            dAh[dAhOff + k] = daR;
            dAh[dAhOff + n + k] = daZ;
            dAh[dAhOff + 2 * n + k] = daN * r;
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
