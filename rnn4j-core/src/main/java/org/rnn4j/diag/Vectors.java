package org.rnn4j.diag;

import org.rnn4j.matrix.Matrix;

/**
 * Double-precision vector kernels of the diagnostics. Weight matrices are row-major {@code double[]}
 * copies of a layer's parameters; {@code rows} of them starting at {@code firstRow} form one gate block.
 */
final class Vectors {
    private Vectors() {
    }

    /** A row-major double copy of a float matrix. */
    static double[] copy(Matrix m) {
        double[] d = new double[m.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = m.data[m.offset + i];
        }
        return d;
    }

    /** out[outAt + r] += Σ_c w[(firstRow + r)·cols + c] · x[c] for r < rows (out += W_block · x). */
    static void mulAdd(double[] w, int firstRow, int rows, int cols, double[] x, double[] out, int outAt) {
        for (int r = 0; r < rows; r++) {
            int base = (firstRow + r) * cols;
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += w[base + c] * x[c];
            }
            out[outAt + r] += s;
        }
    }

    /** out[c] += Σ_r w[(firstRow + r)·cols + c] · y[yAt + r] for c < cols (out += W_blockᵀ · y). */
    static void mulTransAdd(double[] w, int firstRow, int rows, int cols, double[] y, int yAt, double[] out) {
        for (int r = 0; r < rows; r++) {
            double yr = y[yAt + r];
            if (yr == 0) {
                continue;
            }
            int base = (firstRow + r) * cols;
            for (int c = 0; c < cols; c++) {
                out[c] += w[base + c] * yr;
            }
        }
    }

    static double norm(double[] v) {
        return norm(v, 0, v.length);
    }

    /** ‖v[from, to)‖₂, scaled so that it neither overflows nor underflows for finite entries. */
    static double norm(double[] v, int from, int to) {
        double max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(v[i]));
        }
        if (max == 0 || !Double.isFinite(max)) {
            return max;
        }
        double s = 0;
        for (int i = from; i < to; i++) {
            double x = v[i] / max;
            s += x * x;
        }
        return max * Math.sqrt(s);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Divides v by its norm and returns the norm (v unchanged when it is 0). */
    static double normalize(double[] v) {
        double n = norm(v);
        if (n > 0 && Double.isFinite(n)) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= n;
            }
        }
        return n;
    }

    static double sigmoid(double a) {
        if (a >= 0) {
            return 1.0 / (1.0 + Math.exp(-a));
        }
        double e = Math.exp(a);
        return e / (1.0 + e);
    }
}
