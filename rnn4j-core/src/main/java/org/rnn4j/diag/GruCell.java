package org.rnn4j.diag;

import java.util.Arrays;
import org.rnn4j.model.CellType;
import org.rnn4j.nn.GruLayer;

/**
 * The GRU step in double (gate order r, z, n; PyTorch's n = tanh(ax_n + r ⊙ (W_hn h + b_hn))), with its
 * state Jacobian: a perturbation dh_{t−1} moves the step as
 * <pre>
 *   dr = r(1−r) W_hr dh_{t−1},   dz = z(1−z) W_hz dh_{t−1}
 *   dn = (1 − n²) (dr ⊙ hn + r ⊙ W_hn dh_{t−1})
 *   dh_t = dz ⊙ (h_{t−1} − n) + (1 − z) ⊙ dn + z ⊙ dh_{t−1}
 * </pre>
 * The last term, diag(z), is the GRU's direct path: an update gate near 1 carries the gradient unchanged.
 */
final class GruCell extends Cell {
    GruCell(GruLayer layer) {
        super(CellType.GRU, layer);
    }

    @Override
    CellStep step(double[] x, double[] prev) {
        int hs = hiddenSize;
        double[] ax = bIh.clone();
        double[] ah = bHh.clone();
        Vectors.mulAdd(wIh, 0, 3 * hs, inputSize, x, ax, 0); // ax = W_ih x + b_ih
        Vectors.mulAdd(wHh, 0, 3 * hs, hs, prev, ah, 0);     // ah = W_hh h_{t−1} + b_hh
        double[] gates = new double[4 * hs];                 // [r, z, n, hn]
        double[] h = new double[hs];
        for (int k = 0; k < hs; k++) {
            double r = Vectors.sigmoid(ax[k] + ah[k]);
            double z = Vectors.sigmoid(ax[hs + k] + ah[hs + k]);
            double hn = ah[2 * hs + k];
            double n = Math.tanh(ax[2 * hs + k] + r * hn);
            gates[k] = r;
            gates[hs + k] = z;
            gates[2 * hs + k] = n;
            gates[3 * hs + k] = hn;
            h[k] = (1 - z) * n + z * prev[k];                // h = (1-z)*n + z*hPrev
        }
        return new CellStep(prev, h, gates);
    }

    @Override
    void jvp(CellStep s, double[] v, double[] out) {
        int hs = hiddenSize;
        double[] gt = s.gates;
        double[] dah = new double[3 * hs];
        recurrentTimes(v, dah);                          // W_hh dh_{t−1}
        for (int k = 0; k < hs; k++) {
            double r = gt[k], z = gt[hs + k], n = gt[2 * hs + k], hn = gt[3 * hs + k];
            double dr = r * (1 - r) * dah[k];
            double dz = z * (1 - z) * dah[hs + k];
            double dn = (1 - n * n) * (dr * hn + r * dah[2 * hs + k]);
            out[k] = dz * (s.prev[k] - n) + (1 - z) * dn + z * v[k];
        }
    }

    @Override
    void vjp(CellStep s, double[] u, double[] dPrev, double[] dx) {
        int hs = hiddenSize;
        double[] gt = s.gates;
        double[] dah = new double[3 * hs]; // hidden-side pre-activations [r, z, hn]
        double[] dax = new double[3 * hs]; // input-side pre-activations [r, z, n]
        for (int k = 0; k < hs; k++) {
            double r = gt[k], z = gt[hs + k], n = gt[2 * hs + k], hn = gt[3 * hs + k];
            double dh = u[k];
            // h = (1-z)*n + z*hPrev  =>  dn = dh*(1-z), dz = dh*(hPrev-n), dhPrev = dh*z (+ below)
            double dn = dh * (1 - z);
            double dz = dh * (s.prev[k] - n);
            dPrev[k] = dh * z;
            // n = tanh(a_n), a_n = ax_n + r*hn  =>  da_n = dn*(1-n²), dr = da_n*hn, dhn = da_n*r
            double daN = dn * (1 - n * n);
            double daR = daN * hn * r * (1 - r);
            double daZ = dz * z * (1 - z);
            dah[k] = daR;
            dah[hs + k] = daZ;
            dah[2 * hs + k] = daN * r;
            dax[k] = daR;
            dax[hs + k] = daZ;
            dax[2 * hs + k] = daN;
        }
        Vectors.mulTransAdd(wHh, 0, 3 * hs, hs, dah, 0, dPrev); // dh_{t−1} += W_hhᵀ dah
        if (dx != null) {
            Arrays.fill(dx, 0);
            Vectors.mulTransAdd(wIh, 0, 3 * hs, inputSize, dax, 0, dx); // dx_t = W_ihᵀ dax
        }
    }
}
