package org.rnn4j.matrix;

/** The reference kernels: textbook loops, sums in float in index order. Slow and obviously right. */
public final class NaiveGemm implements Gemm {
    @Override
    public void mul(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float beta) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += a[aOff + i * k + p] * b[bOff + p * n + j];
                }
                int ci = cOff + i * n + j;
                c[ci] = beta == 0f ? s : c[ci] + s;
            }
        }
    }

    @Override
    public void mulTransA(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float beta) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += a[aOff + p * m + i] * b[bOff + p * n + j];
                }
                int ci = cOff + i * n + j;
                c[ci] = beta == 0f ? s : c[ci] + s;
            }
        }
    }

    @Override
    public void mulTransB(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, float beta) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += a[aOff + i * k + p] * b[bOff + j * k + p];
                }
                int ci = cOff + i * n + j;
                c[ci] = beta == 0f ? s : c[ci] + s;
            }
        }
    }

    @Override
    public String name() {
        return "naive";
    }
}
