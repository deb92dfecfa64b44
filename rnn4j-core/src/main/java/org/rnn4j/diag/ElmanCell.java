package org.rnn4j.diag;

import java.util.Arrays;
import org.rnn4j.matrix.Activation;
import org.rnn4j.model.CellType;
import org.rnn4j.nn.ElmanLayer;

/**
 * The Elman step in double:
 * <pre>
 *   a_t = W_ih x_t + W_hh h_{t−1} + b,   h_t = f(a_t)
 *   J_t = ∂h_t/∂h_{t−1} = diag(f'(a_t)) W_hh
 * </pre>
 * (the transpose of the seeds' W_hhᵀ diag(f'), which writes gradients as columns; norms agree).
 */
final class ElmanCell extends Cell {
    final Activation activation;
    private final double[] bias; // (H) b_ih + b_hh

    ElmanCell(ElmanLayer layer) {
        super(CellType.RNN, layer);
        this.activation = layer.activation();
        this.bias = new double[hiddenSize];
        for (int k = 0; k < hiddenSize; k++) {
            bias[k] = bIh[k] + bHh[k];
        }
    }

    @Override
    CellStep step(double[] x, double[] prev) {
        int hs = hiddenSize;
        double[] a = bias.clone();
        Vectors.mulAdd(wIh, 0, hs, inputSize, x, a, 0);  // a += W_ih x
        Vectors.mulAdd(wHh, 0, hs, hs, prev, a, 0);      // a += W_hh h_{t−1}
        double[] h = new double[hs];
        double[] fPrime = new double[hs];
        for (int k = 0; k < hs; k++) {
            h[k] = apply(activation, a[k]);
            fPrime[k] = derivative(activation, a[k], h[k]);
        }
        return new CellStep(prev, h, fPrime);
    }

    @Override
    void jvp(CellStep s, double[] v, double[] out) {
        Arrays.fill(out, 0);
        recurrentTimes(v, out);                                    // W_hh v
        for (int k = 0; k < hiddenSize; k++) {
            out[k] *= s.gates[k];                                  // diag(f'(a)) · …
        }
    }

    @Override
    void vjp(CellStep s, double[] u, double[] dPrev, double[] dx) {
        double[] da = new double[hiddenSize];
        for (int k = 0; k < hiddenSize; k++) {
            da[k] = u[k] * s.gates[k]; // h = f(a)  =>  da = dh ⊙ f'(a)
        }
        Arrays.fill(dPrev, 0);
        Vectors.mulTransAdd(wHh, 0, hiddenSize, hiddenSize, da, 0, dPrev); // dh_{t−1} = W_hhᵀ da
        if (dx != null) {
            Arrays.fill(dx, 0);
            Vectors.mulTransAdd(wIh, 0, hiddenSize, inputSize, da, 0, dx);   // dx_t = W_ihᵀ da
        }
    }

    /** sup f': 1 for tanh and relu, 1/4 for the sigmoid. */
    @Override
    double gamma() {
        return activation == Activation.SIGMOID ? 0.25 : 1.0;
    }

    /** W_hh (H × H), row-major, a copy. */
    double[] recurrentWeight() {
        return wHh.clone();
    }

    static double apply(Activation f, double a) {
        return switch (f) {
            case TANH -> Math.tanh(a);
            case RELU -> a > 0 ? a : 0;
            case SIGMOID -> Vectors.sigmoid(a);
        };
    }

    /** f'(a) from a and y = f(a); relu' is 0 at a ≤ 0 as in {@link Activation#derivativeFromOutput}. */
    static double derivative(Activation f, double a, double y) {
        return switch (f) {
            case TANH -> 1 - y * y;
            case RELU -> a > 0 ? 1 : 0;
            case SIGMOID -> y * (1 - y);
        };
    }
}
