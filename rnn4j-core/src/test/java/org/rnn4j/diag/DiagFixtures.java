package org.rnn4j.diag;

import org.rnn4j.matrix.Activation;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;
import org.rnn4j.model.LanguageModel;
import org.rnn4j.model.ModelConfig;
import org.rnn4j.model.RecurrentStack;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Parameter;

/** Small seeded networks and brute-force helpers shared by the diagnostics tests. */
final class DiagFixtures {
    private DiagFixtures() {
    }

    /** The cells under test: Elman with each nonlinearity, LSTM and GRU. */
    enum Kind {
        RNN_TANH(CellType.RNN, Activation.TANH),
        RNN_SIGMOID(CellType.RNN, Activation.SIGMOID),
        RNN_RELU(CellType.RNN, Activation.RELU),
        LSTM(CellType.LSTM, Activation.TANH),
        GRU(CellType.GRU, Activation.TANH);

        final CellType cell;
        final Activation f;

        Kind(CellType cell, Activation f) {
            this.cell = cell;
            this.f = f;
        }
    }

    /** A stack with every parameter U(−scale, scale). */
    static RecurrentStack stack(Kind kind, int layers, int input, int hidden, float scale, Rng rng) {
        RecurrentStack s = RecurrentStack.builder(kind.cell, input, hidden).nonlinearity(kind.f).numLayers(layers).build();
        for (Parameter p : s.parameters()) {
            rng.fillUniform(p.value, -scale, scale);
        }
        return s;
    }

    static Matrix uniform(int rows, int cols, float scale, Rng rng) {
        Matrix m = new Matrix(rows, cols);
        rng.fillUniform(m, -scale, scale);
        return m;
    }

    /** A random state of the stack for B sequences (values within ±scale). */
    static RecurrentState randomState(RecurrentStack stack, int batch, float scale, Rng rng) {
        RecurrentState s = stack.newState(batch);
        for (int l = 0; l < s.numLayers(); l++) {
            rng.fillUniform(s.layer(l), -scale, scale);
        }
        s.setInitial(false);
        return s;
    }

    /** A language model with all parameters U(−scale, scale) (one-hot input). */
    static LanguageModel languageModel(Kind kind, int layers, int vocab, int hidden, float scale, Rng rng) {
        ModelConfig c = ModelConfig.builder().cell(kind.cell).nonlinearity(kind.f).vocabSize(vocab).hiddenSize(hidden)
                .numLayers(layers).build();
        LanguageModel m = new LanguageModel(c);
        for (Parameter p : m.parameters()) {
            rng.fillUniform(p.value, -scale, scale);
        }
        return m;
    }

    static int[] tokens(int n, int vocab, Rng rng) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rng.nextInt(vocab);
        }
        return t;
    }

    /** Rows [from, from + count) of a time-major (T·B × C) matrix's step blocks, for one sequence b. */
    static Matrix steps(Matrix x, int batch, int b, int from, int count) {
        Matrix m = new Matrix(count, x.cols);
        for (int j = 0; j < count; j++) {
            for (int c = 0; c < x.cols; c++) {
                m.set(j, c, x.get((from + j) * batch + b, c));
            }
        }
        return m;
    }

    /**
     * A random orthogonal n × n matrix times gain (modified Gram-Schmidt on Gaussian rows, twice). The
     * tests make their own because {@code Init.orthogonal} at this commit does not normalise the rows it
     * projects on, so its result is far from orthogonal (reported; see the diagnostics report).
     */
    static Matrix orthogonal(int n, float gain, Rng rng) {
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = rng.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < i; k++) {
                    double d = 0;
                    for (int j = 0; j < n; j++) {
                        d += q[i][j] * q[k][j];
                    }
                    for (int j = 0; j < n; j++) {
                        q[i][j] -= d * q[k][j];
                    }
                }
            }
            double norm = 0;
            for (int j = 0; j < n; j++) {
                norm += q[i][j] * q[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < n; j++) {
                q[i][j] /= norm;
            }
        }
        Matrix m = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m.set(i, j, (float) (gain * q[i][j]));
            }
        }
        return m;
    }

    /** σ_max of a small dense matrix: Jacobi eigenvalues of AᵀA, the brute-force reference. */
    static double denseSpectralNorm(double[][] a) {
        int n = a[0].length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                for (double[] row : a) {
                    s[i][j] += row[i] * row[j];
                }
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += s[p][q] * s[p][q];
                    if (Math.abs(s[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (s[q][q] - s[p][p]) / (2 * s[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double sn = t * c;
                    for (int k = 0; k < n; k++) { // columns p, q
                        double skp = s[k][p], skq = s[k][q];
                        s[k][p] = c * skp - sn * skq;
                        s[k][q] = sn * skp + c * skq;
                    }
                    for (int k = 0; k < n; k++) { // rows p, q
                        double spk = s[p][k], sqk = s[q][k];
                        s[p][k] = c * spk - sn * sqk;
                        s[q][k] = sn * spk + c * sqk;
                    }
                }
            }
            if (off < 1e-30) {
                break;
            }
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, s[i][i]);
        }
        return Math.sqrt(max);
    }

    /** The dense matrix of an operator, column by column. */
    static double[][] dense(JacobianProduct j) {
        int n = j.dimension();
        double[][] m = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] e = new double[n];
            e[c] = 1;
            double[] col = j.apply(e);
            for (int r = 0; r < n; r++) {
                m[r][c] = col[r];
            }
        }
        return m;
    }

    static double maxAbs(double[][] m) {
        double x = 0;
        for (double[] row : m) {
            for (double v : row) {
                x = Math.max(x, Math.abs(v));
            }
        }
        return x;
    }
}
