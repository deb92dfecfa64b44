package org.rnn4j.diag;

import java.util.Arrays;
import org.rnn4j.model.CellType;
import org.rnn4j.nn.LstmLayer;

/**
 * The LSTM step in double (gate order i, f, g, o), with its full state Jacobian: s = [h | c], and a
 * perturbation [dh_{t−1} | dc_{t−1}] moves the step as
 * <pre>
 *   da = W_hh dh_{t−1}                              (4H: the gate pre-activations)
 *   di = i(1−i) da_i,  df = f(1−f) da_f,  dg = (1−g²) da_g,  do = o(1−o) da_o
 *   dc_t = df ⊙ c_{t−1} + f ⊙ dc_{t−1} + di ⊙ g + i ⊙ dg
 *   dh_t = do ⊙ tanh(c_t) + o ⊙ (1 − tanh²(c_t)) ⊙ dc_t
 * </pre>
 * The c → c block is diag(f): the forget gate is what lets the LSTM carry a gradient over long lags.
 */
final class LstmCell extends Cell {
    private final double[] bias; // (4H) b_ih + b_hh

    LstmCell(LstmLayer layer) {
        super(CellType.LSTM, layer);
        this.bias = new double[4 * hiddenSize];
        for (int k = 0; k < bias.length; k++) {
            bias[k] = bIh[k] + bHh[k];
        }
    }

    @Override
    CellStep step(double[] x, double[] prev) {
        int hs = hiddenSize;
        double[] a = bias.clone();
        Vectors.mulAdd(wIh, 0, 4 * hs, inputSize, x, a, 0); // a += W_ih x
        Vectors.mulAdd(wHh, 0, 4 * hs, hs, prev, a, 0);     // a += W_hh h_{t−1} (the first H entries of prev)
        double[] gates = new double[5 * hs];                // [i, f, g, o, tanh(c)]
        double[] state = new double[2 * hs];                // [h | c]
        for (int k = 0; k < hs; k++) {
            double i = Vectors.sigmoid(a[k]);
            double f = Vectors.sigmoid(a[hs + k]);
            double g = Math.tanh(a[2 * hs + k]);
            double o = Vectors.sigmoid(a[3 * hs + k]);
            double c = f * prev[hs + k] + i * g;            // c = f*cPrev + i*g
            double tc = Math.tanh(c);
            gates[k] = i;
            gates[hs + k] = f;
            gates[2 * hs + k] = g;
            gates[3 * hs + k] = o;
            gates[4 * hs + k] = tc;
            state[k] = o * tc;                              // h = o*tanh(c)
            state[hs + k] = c;
        }
        return new CellStep(prev, state, gates);
    }

    @Override
    void jvp(CellStep s, double[] v, double[] out) {
        int hs = hiddenSize;
        double[] gt = s.gates;
        double[] da = new double[4 * hs];
        recurrentTimes(v, da);                              // da = W_hh dh_{t−1}
        for (int k = 0; k < hs; k++) {
            double i = gt[k], f = gt[hs + k], g = gt[2 * hs + k], o = gt[3 * hs + k], tc = gt[4 * hs + k];
            double di = i * (1 - i) * da[k];
            double df = f * (1 - f) * da[hs + k];
            double dg = (1 - g * g) * da[2 * hs + k];
            double dO = o * (1 - o) * da[3 * hs + k];
            double dc = df * s.prev[hs + k] + f * v[hs + k] + di * g + i * dg;
            out[k] = dO * tc + o * (1 - tc * tc) * dc;
            out[hs + k] = dc;
        }
    }

    @Override
    void vjp(CellStep s, double[] u, double[] dPrev, double[] dx) {
        int hs = hiddenSize;
        double[] gt = s.gates;
        double[] da = new double[4 * hs];
        for (int k = 0; k < hs; k++) {
            double i = gt[k], f = gt[hs + k], g = gt[2 * hs + k], o = gt[3 * hs + k], tc = gt[4 * hs + k];
            double dh = u[k];
            // h = o*tanh(c)  =>  do = dh*tanh(c),  dc += dh*o*(1 − tanh²(c))
            double dc = u[hs + k] + dh * o * (1 - tc * tc);
            double dO = dh * tc;
            // c = f*cPrev + i*g  =>  di = dc*g, df = dc*cPrev, dg = dc*i, dcPrev = dc*f
            da[k] = dc * g * i * (1 - i);
            da[hs + k] = dc * s.prev[hs + k] * f * (1 - f);
            da[2 * hs + k] = dc * i * (1 - g * g);
            da[3 * hs + k] = dO * o * (1 - o);
            dPrev[hs + k] = dc * f;
        }
        Arrays.fill(dPrev, 0, hs, 0);
        double[] dhPrev = new double[hs];
        Vectors.mulTransAdd(wHh, 0, 4 * hs, hs, da, 0, dhPrev); // dh_{t−1} = W_hhᵀ da
        System.arraycopy(dhPrev, 0, dPrev, 0, hs);
        if (dx != null) {
            Arrays.fill(dx, 0);
            Vectors.mulTransAdd(wIh, 0, 4 * hs, inputSize, da, 0, dx); // dx_t = W_ihᵀ da
        }
    }
}
