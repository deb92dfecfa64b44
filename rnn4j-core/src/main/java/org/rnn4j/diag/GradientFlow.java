package org.rnn4j.diag;

import java.util.ArrayList;
import java.util.List;

/**
 * How much gradient reaches each time step of each layer, the quantity whose geometric decay or growth
 * is the vanishing or exploding gradient (Bengio, Simard and Frasconi 1994; Pascanu, Mikolov and Bengio
 * 2013, "On the difficulty of training recurrent neural networks"):
 * <pre>
 *   by step:  ‖∂L/∂h_k‖                     k = 0 … T−1   (the whole loss; see StackProbe for ∂L/∂s_k)
 *   by lag:   ‖∂L_t/∂h_{t−τ}‖               τ = 0 … maxLag, over every source step t
 * </pre>
 * where L_t is the part of the loss read at step t (the output gradient of step t, plus the final-state
 * gradient of a sequence that ends at t), back-propagated alone. Norms are per sequence (the Euclidean
 * norm over the H units of one sequence); by step they are averaged over the sequences long enough to
 * have that step, by lag they are summarised over all (sequence, source step) pairs in a {@link ByLag}.
 * Lag t + 1 is the initial state. For LSTM, the "state" figures include the cell: ‖[∂L/∂h | ∂L/∂c]‖.
 */
public final class GradientFlow {
    /** The default largest lag of {@link #measure(StackProbe)}. */
    public static final int DEFAULT_MAX_LAG = 100;

    private GradientFlow() {
    }

    /**
     * One layer's gradient norms.
     *
     * @param hiddenNorm by step k: mean over sequences of ‖∂L/∂h_k‖ (NaN where no sequence has step k)
     * @param stateNorm by step k: mean of ‖∂L/∂s_k‖ (equal to hiddenNorm for RNN and GRU)
     * @param initialHiddenNorm mean of ‖∂L/∂h_{−1}‖, the gradient reaching the initial state
     * @param initialStateNorm mean of ‖∂L/∂s_{−1}‖
     * @param hiddenByLag ‖∂L_t/∂h_{t−τ}‖ by lag τ
     * @param stateByLag ‖∂L_t/∂s_{t−τ}‖ by lag τ
     */
    public record LayerGradients(int layer, double[] hiddenNorm, double[] stateNorm, double initialHiddenNorm,
                                 double initialStateNorm, ByLag hiddenByLag, ByLag stateByLag) {
    }

    /** Every layer, lags up to {@link #DEFAULT_MAX_LAG}. */
    public static List<LayerGradients> measure(StackProbe probe) {
        return measure(probe, DEFAULT_MAX_LAG);
    }

    /** Every layer, bottom first; lags 0 … maxLag. Costs O(B·T·maxLag) step products for the lags. */
    public static List<LayerGradients> measure(StackProbe probe, int maxLag) {
        probe.requireLoss();
        int layers = probe.numLayers();
        int h = probe.hiddenSize();
        ByLag.Accumulator[] hidden = new ByLag.Accumulator[layers];
        ByLag.Accumulator[] state = new ByLag.Accumulator[layers];
        for (int l = 0; l < layers; l++) {
            hidden[l] = new ByLag.Accumulator(maxLag);
            state[l] = new ByLag.Accumulator(maxLag);
        }
        for (int b = 0; b < probe.batch(); b++) {
            for (int t = 0; t < probe.length(b); t++) {
                probe.backwardFrom(b, t, maxLag, (layer, lag, g) -> {
                    hidden[layer].addValue(lag, Vectors.norm(g, 0, h));
                    state[layer].addValue(lag, Vectors.norm(g));
                });
            }
        }
        List<LayerGradients> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            double[] hn = new double[probe.steps()];
            double[] sn = new double[probe.steps()];
            int[] n = new int[probe.steps()];
            double h0 = 0;
            double s0 = 0;
            for (int b = 0; b < probe.batch(); b++) {
                for (int t = 0; t < probe.length(b); t++) {
                    double[] g = probe.stateGradient(l, b, t);
                    hn[t] += Vectors.norm(g, 0, h);
                    sn[t] += Vectors.norm(g);
                    n[t]++;
                }
                double[] g0 = probe.stateGradient(l, b, -1);
                h0 += Vectors.norm(g0, 0, h);
                s0 += Vectors.norm(g0);
            }
            for (int t = 0; t < hn.length; t++) {
                hn[t] = n[t] == 0 ? Double.NaN : hn[t] / n[t];
                sn[t] = n[t] == 0 ? Double.NaN : sn[t] / n[t];
            }
            out.add(new LayerGradients(l, hn, sn, h0 / probe.batch(), s0 / probe.batch(), hidden[l].build(),
                    state[l].build()));
        }
        return out;
    }
}
