package org.rnn4j.diag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.model.CellType;
import org.rnn4j.nn.Parameter;

/**
 * The vanishing-gradient regularizer of Pascanu, Mikolov and Bengio (2013, "On the difficulty of
 * training recurrent neural networks", eq. 9) for an Elman layer: it asks each step's Jacobian to
 * preserve the norm of the gradient it carries back,
 * <pre>
 *   Ω = Σ_{b,j} ( ‖δ_j · ∂h_j/∂h_{j−1}‖ / ‖δ_j‖ − 1 )²,      δ_j = ∂L/∂h_j,   ∂h_j/∂h_{j−1} = diag(f'(a_j)) W_hh
 *     = Σ_{b,j} ( ‖W_hhᵀ w_j‖ / ‖δ_j‖ − 1 )²,                 w_j = δ_j ⊙ f'(a_j)
 * </pre>
 * over every step j = 0 … len_b − 1 of every sequence (j = 0 carries δ_0 to the initial state, as the
 * authors' code does). As in the paper, the gradient is the "immediate" one: δ_j and the trajectory (hence
 * f'(a_j)) are held constant, so Ω is a function of W_hh alone, frozen when this object is made:
 * <pre>
 *   u = W_hhᵀ w,  r = ‖u‖/‖δ‖  =>  ∂Ω/∂W_hh = Σ 2(r − 1)/(‖u‖ ‖δ‖) · w uᵀ      (W_hh[i][m] ↦ w_i u_m)
 * </pre>
 * Steps with ‖δ_j‖² below {@link #DEFAULT_BOUND} are left out (the authors' {@code bound}), so Ω's mean
 * is {@code omega / terms()}. The authors' Theano code (pascanur/trainingRNNs) averages that way and
 * compares squared norms; this class follows the paper's formula, with norms. Training adds
 * α·∂Ω/∂W_hh to the loss gradient ({@link #addGradient}), the paper's α scaled by 1/terms() for a mean.
 */
public final class PascanuRegularizer {
    /** Gradients δ_j with ‖δ_j‖² below this are too small to carry a ratio and are left out. */
    public static final double DEFAULT_BOUND = 1e-20;

    private final int hidden;           // H
    private final List<double[]> w;     // per term: δ_j ⊙ f'(a_j) (H)
    private final List<Double> deltaNorm; // per term: ‖δ_j‖
    private final double[] frozenWeight; // W_hh of the probe (H × H)

    private PascanuRegularizer(int hidden, List<double[]> w, List<Double> deltaNorm, double[] frozenWeight) {
        this.hidden = hidden;
        this.w = w;
        this.deltaNorm = deltaNorm;
        this.frozenWeight = frozenWeight;
    }

    /** The regularizer of an Elman layer of a probe that has a loss. */
    public static PascanuRegularizer of(StackProbe probe, int layer) {
        return of(probe, layer, DEFAULT_BOUND);
    }

    public static PascanuRegularizer of(StackProbe probe, int layer, double bound) {
        Cell cell = probe.cellOf(layer);
        if (cell.type != CellType.RNN) {
            throw new IllegalArgumentException("Pascanu et al.'s regularizer is defined for the Elman cell; layer " + layer
                    + " is " + cell.type.id());
        }
        probe.requireLoss();
        int h = cell.hiddenSize;
        List<double[]> ws = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        for (int b = 0; b < probe.batch(); b++) {
            CellStep[] run = probe.run(layer, b);
            for (int j = 0; j < run.length; j++) {
                double[] delta = probe.stateGradient(layer, b, j);
                double n = Vectors.norm(delta);
                if (!(n * n >= bound)) {
                    continue;
                }
                double[] wj = new double[h];
                for (int k = 0; k < h; k++) {
                    wj[k] = delta[k] * run[j].gates[k]; // δ ⊙ f'(a_j)
                }
                ws.add(wj);
                norms.add(n);
            }
        }
        return new PascanuRegularizer(h, ws, norms, ((ElmanCell) cell).recurrentWeight());
    }

    /** How many (sequence, step) terms Ω sums. */
    public int terms() {
        return w.size();
    }

    /** Ω at the probe's W_hh. */
    public double omega() {
        return evaluate(frozenWeight, null);
    }

    /** Ω at another W_hh (H × H), the other quantities held. */
    public double omega(Matrix weightHh) {
        return evaluate(check(weightHh), null);
    }

    /** grad += scale · ∂Ω/∂W_hh at weightHh; returns Ω there. */
    public double addGradient(Matrix weightHh, Matrix grad, double scale) {
        grad.requireShape(hidden, hidden, "gradient of W_hh");
        double[] g = new double[hidden * hidden];
        double omega = evaluate(check(weightHh), g);
        for (int i = 0; i < g.length; i++) {
            grad.data[grad.offset + i] += (float) (scale * g[i]);
        }
        return omega;
    }

    /** p.grad += scale · ∂Ω/∂W_hh at p.value (the layer's {@code weight_hh}); returns Ω. */
    public double addGradient(Parameter weightHh, double scale) {
        return addGradient(weightHh.value, weightHh.grad, scale);
    }

    private double[] check(Matrix weightHh) {
        weightHh.requireShape(hidden, hidden, "W_hh of the regularized Elman layer");
        return Vectors.copy(weightHh);
    }

    /** Ω at W; when g is not null, g += ∂Ω/∂W. */
    private double evaluate(double[] wHh, double[] g) {
        double omega = 0;
        double[] u = new double[hidden];
        for (int j = 0; j < w.size(); j++) {
            double[] wj = w.get(j);
            double dn = deltaNorm.get(j);
            Arrays.fill(u, 0);
            Vectors.mulTransAdd(wHh, 0, hidden, hidden, wj, 0, u); // u = W_hhᵀ w
            double un = Vectors.norm(u);
            double r = un / dn;
            omega += (r - 1) * (r - 1);
            if (g != null && un > 0) {
                double c = 2 * (r - 1) / (un * dn); // ∂Ω_j/∂u = c·u
                for (int i = 0; i < hidden; i++) {
                    double ci = c * wj[i];
                    if (ci == 0) {
                        continue;
                    }
                    for (int m = 0; m < hidden; m++) {
                        g[i * hidden + m] += ci * u[m]; // ∂u_m/∂W[i][m] = w_i
                    }
                }
            }
        }
        return omega;
    }
}
