package org.rnn4j.diag;

import java.util.List;
import org.rnn4j.model.CellType;
import org.rnn4j.nn.BidirectionalLayer;
import org.rnn4j.nn.ElmanLayer;
import org.rnn4j.nn.GruLayer;
import org.rnn4j.nn.LstmLayer;
import org.rnn4j.nn.Parameter;
import org.rnn4j.nn.RecurrentLayer;

/**
 * One recurrent layer (one direction) re-run in double for diagnostics, from a copy of its parameters
 * taken at construction. Beside the step itself it gives the two products with the step's state Jacobian
 * J_t = ∂s_t/∂s_{t−1} (S × S) that every analysis of this package is built on, so that no S × S matrix,
 * let alone a product of them, is ever formed:
 * <pre>
 *   jvp:  out = J_t v                      (a perturbation of s_{t−1} carried to s_t)
 *   vjp:  dPrev = J_tᵀ u,  dx = (∂s_t/∂x_t)ᵀ u   (a gradient of s_t carried back to s_{t−1} and x_t)
 * </pre>
 * The state is the layer's: h for RNN and GRU, [h | c] for LSTM. Gate order and equations are those of
 * {@link ElmanLayer}, {@link LstmLayer} and {@link GruLayer} (PyTorch's).
 */
abstract class Cell {
    final CellType type;
    final int inputSize;  // D
    final int hiddenSize; // H
    final int stateSize;  // S
    final double[] wIh;   // (G·H, D)
    final double[] wHh;   // (G·H, H)
    final double[] bIh;   // (G·H)
    final double[] bHh;   // (G·H)
    private final double[] wHhT; // (H, G·H) W_hhᵀ: W_hh v as a sum of rows, which the JIT vectorises

    Cell(CellType type, RecurrentLayer layer) {
        this.type = type;
        this.inputSize = layer.inputSize();
        this.hiddenSize = layer.hiddenSize();
        this.stateSize = layer.stateSize();
        List<Parameter> ps = layer.parameters(); // weight_ih, weight_hh, bias_ih, bias_hh
        this.wIh = Vectors.copy(ps.get(0).value);
        this.wHh = Vectors.copy(ps.get(1).value);
        this.bIh = Vectors.copy(ps.get(2).value);
        this.bHh = Vectors.copy(ps.get(3).value);
        int gh = wHh.length / hiddenSize;
        this.wHhT = new double[wHh.length];
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < hiddenSize; c++) {
                wHhT[c * gh + r] = wHh[r * hiddenSize + c];
            }
        }
    }

    /** out (G·H) += W_hh v, reading the first H entries of v: the recurrent product of every Jacobian-vector product. */
    final void recurrentTimes(double[] v, double[] out) {
        int gh = out.length;
        for (int c = 0; c < hiddenSize; c++) {
            double vc = v[c];
            if (vc == 0) {
                continue;
            }
            int base = c * gh;
            for (int r = 0; r < gh; r++) {
                out[r] += wHhT[base + r] * vc;
            }
        }
    }

    /** The double-precision twin of a layer; a bidirectional layer must be split into its directions first. */
    static Cell of(RecurrentLayer layer) {
        if (layer instanceof ElmanLayer e) {
            return new ElmanCell(e);
        }
        if (layer instanceof LstmLayer l) {
            return new LstmCell(l);
        }
        if (layer instanceof GruLayer g) {
            return new GruCell(g);
        }
        if (layer instanceof BidirectionalLayer) {
            throw new IllegalArgumentException("the diagnostics follow one direction through time: a bidirectional"
                    + " layer is not supported here (its recurrent matrices can still be read with Spectra)");
        }
        throw new IllegalArgumentException("no diagnostics for the layer type " + layer.getClass().getSimpleName());
    }

    /** Runs one step from x_t (D) and s_{t−1} (S); the record keeps what the Jacobian products need. */
    abstract CellStep step(double[] x, double[] prev);

    /** out (S) = J_t v for v (S). */
    abstract void jvp(CellStep s, double[] v, double[] out);

    /** dPrev (S) = J_tᵀ u for u (S); when dx (D) is not null it is overwritten with (∂s_t/∂x_t)ᵀ u. */
    abstract void vjp(CellStep s, double[] u, double[] dPrev, double[] dx);

    /** Sup of the derivative of the nonlinearity between h_{t−1} and h_t (the γ of the bound (‖W_hh‖γ)^τ), or NaN. */
    double gamma() {
        return Double.NaN;
    }
}
