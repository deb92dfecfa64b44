package org.rnn4j.diag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.matrix.Activation;
import org.rnn4j.model.CellType;

/**
 * Saturation by step: the share of units whose nonlinearity is in its flat region, where its derivative
 * (and so every gradient through it) nearly vanishes. With a limit ℓ (default 0.99), a unit is saturated
 * when
 * <pre>
 *   tanh:     |y| &gt; ℓ                  (f' = 1 − y² &lt; 1 − ℓ² ≈ 0.02)
 *   sigmoid:  |2y − 1| &gt; ℓ             (the same rule, since σ(a) = (1 + tanh(a/2))/2: σ' &lt; (1 − ℓ²)/4)
 *   relu:     y = 0                    (a dead unit, f' = 0)
 * </pre>
 * for the Elman output h, the LSTM gates i, f, g, o and tanh(c), and the GRU gates r, z, n. For gated
 * cells it also summarises, by step, the gate that decides how far the memory reaches: the LSTM forget
 * gate f (c_t = f ⊙ c_{t−1} + …) and the GRU update gate z (h_t = z ⊙ h_{t−1} + …): near 1 they carry
 * state and gradient unchanged, near 0 they forget.
 */
public final class Saturation {
    public static final double DEFAULT_LIMIT = 0.99;
    /** The quantile levels of {@link GateStatistics#quantiles}. */
    private static final double[] LEVELS = {0.05, 0.25, 0.5, 0.75, 0.95};

    private Saturation() {
    }

    /** The quantile levels of {@link GateStatistics#quantiles}: 5 %, 25 %, 50 %, 75 %, 95 %. */
    public static double[] quantileLevels() {
        return LEVELS.clone();
    }

    /**
     * The values of one gate by step, over all sequences and units.
     *
     * @param mean by step
     * @param quantiles [level][step] at {@link #quantileLevels()}
     */
    public record GateStatistics(String gate, double[] mean, double[][] quantiles) {
    }

    /**
     * One layer.
     *
     * @param parts the measured nonlinearities: [h] (RNN), [i, f, g, o, tanh(c)] (LSTM), [r, z, n] (GRU)
     * @param share [part][step]: share of saturated units (NaN where no sequence has the step)
     * @param memoryGate the LSTM forget gate or the GRU update gate; null for the Elman cell
     */
    public record LayerSaturation(int layer, CellType cell, List<String> parts, double[][] share,
                                  GateStatistics memoryGate) {
    }

    public static List<LayerSaturation> measure(StackProbe probe) {
        return measure(probe, DEFAULT_LIMIT);
    }

    public static List<LayerSaturation> measure(StackProbe probe, double limit) {
        if (!(limit > 0 && limit < 1)) {
            throw new IllegalArgumentException("the saturation limit must be in (0, 1), got " + limit);
        }
        List<LayerSaturation> out = new ArrayList<>();
        for (int l = 0; l < probe.numLayers(); l++) {
            out.add(layer(probe, l, limit));
        }
        return out;
    }

    /** Which nonlinearity each part is, and where its value sits in a step record. */
    private record Part(String name, Activation kind, boolean inState, int block) {
    }

    private static List<Part> parts(Cell cell) {
        return switch (cell.type) {
            case RNN -> List.of(new Part("h", ((ElmanCell) cell).activation, true, 0));
            case LSTM -> List.of(new Part("i", Activation.SIGMOID, false, 0), new Part("f", Activation.SIGMOID, false, 1),
                    new Part("g", Activation.TANH, false, 2), new Part("o", Activation.SIGMOID, false, 3),
                    new Part("tanh(c)", Activation.TANH, false, 4));
            case GRU -> List.of(new Part("r", Activation.SIGMOID, false, 0), new Part("z", Activation.SIGMOID, false, 1),
                    new Part("n", Activation.TANH, false, 2));
        };
    }

    private static LayerSaturation layer(StackProbe probe, int l, double limit) {
        Cell cell = probe.cellOf(l);
        int h = cell.hiddenSize;
        int steps = probe.steps();
        List<Part> parts = parts(cell);
        double[][] share = new double[parts.size()][steps];
        int[] units = new int[steps];
        int memory = cell.type == CellType.RNN ? -1 : 1; // the block of f (LSTM) or z (GRU)
        List<List<Double>> gateValues = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            gateValues.add(new ArrayList<>());
        }
        for (int b = 0; b < probe.batch(); b++) {
            CellStep[] run = probe.run(l, b);
            for (int t = 0; t < run.length; t++) {
                units[t] += h;
                for (int p = 0; p < parts.size(); p++) {
                    Part part = parts.get(p);
                    double[] src = part.inState() ? run[t].state : run[t].gates;
                    int at = part.block() * h;
                    int n = 0;
                    for (int k = 0; k < h; k++) {
                        n += saturated(part.kind(), src[at + k], limit) ? 1 : 0;
                    }
                    share[p][t] += n;
                }
                if (memory >= 0) {
                    for (int k = 0; k < h; k++) {
                        gateValues.get(t).add(run[t].gates[memory * h + k]);
                    }
                }
            }
        }
        for (double[] row : share) {
            for (int t = 0; t < steps; t++) {
                row[t] = units[t] == 0 ? Double.NaN : row[t] / units[t];
            }
        }
        GateStatistics gate = memory < 0 ? null
                : statistics(cell.type == CellType.LSTM ? "f" : "z", gateValues);
        List<String> names = parts.stream().map(Part::name).toList();
        return new LayerSaturation(l, cell.type, names, share, gate);
    }

    static boolean saturated(Activation kind, double y, double limit) {
        return switch (kind) {
            case TANH -> Math.abs(y) > limit;
            case SIGMOID -> Math.abs(2 * y - 1) > limit;
            case RELU -> y == 0;
        };
    }

    private static GateStatistics statistics(String name, List<List<Double>> byStep) {
        int steps = byStep.size();
        double[] mean = new double[steps];
        double[][] q = new double[LEVELS.length][steps];
        for (int t = 0; t < steps; t++) {
            double[] v = byStep.get(t).stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(v);
            mean[t] = v.length == 0 ? Double.NaN : Arrays.stream(v).sum() / v.length;
            for (int i = 0; i < LEVELS.length; i++) {
                q[i][t] = quantile(v, LEVELS[i]);
            }
        }
        return new GateStatistics(name, mean, q);
    }

    /** The p-quantile of sorted values, interpolating linearly between order statistics (NaN when empty). */
    static double quantile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
