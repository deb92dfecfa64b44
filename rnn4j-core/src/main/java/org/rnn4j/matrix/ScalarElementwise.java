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
    public String name() {
        return "scalar";
    }
}
