package org.rnn4j.diag;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.matrix.Rng;
import org.rnn4j.model.CellType;

/**
 * The spectral norm of the Jacobian products J(t, t−τ) = ∂s_t/∂s_{t−τ} by lag τ, per layer, against two
 * upper bounds:
 * <pre>
 *   ‖J(t, k)‖₂ ≤ Π_{j=k+1..t} ‖J_j‖₂ ≤ (‖W_hh‖₂ · γ)^(t−k)        γ = sup f'  (Elman: 1 tanh, 1/4 sigmoid, 1 relu)
 * </pre>
 * The first (sub-multiplicativity) holds for every cell; the second is the seeds' and Pascanu et al.'s
 * bound for the Elman cell, since each J_j = diag(f'(a_j)) W_hh. Gated cells have no such simple bound
 * (their direct paths diag(f) and diag(z) are not bounded by W_hh), so theirs is NaN.
 *
 * <p>Each end step t is an anchor; from it the norms of J(t, t−1), J(t, t−2), … are found by power
 * iteration, each warm-started from the previous lag's right singular vector carried one step back
 * (v ← J_{k+1}ᵀ v), which usually converges in a few iterations. Anchors are the last step of each of
 * the first {@code maxSequences} sequences, and {@code endsPerSequence − 1} more spread evenly before
 * it. Lag 0 is J(t, t) = I.
 */
public final class JacobianNorms {
    private JacobianNorms() {
    }

    /**
     * What to measure.
     *
     * @param maxLag largest τ
     * @param endsPerSequence anchors per sequence (the last step, then evenly spaced earlier ones)
     * @param maxSequences how many sequences of the batch to use (the first ones)
     * @param part the full state or its h block (LSTM)
     * @param maxIterations power iterations per (anchor, lag)
     * @param tolerance stop when ln σ changes by less
     * @param seed of the random start vectors
     */
    public record Options(int maxLag, int endsPerSequence, int maxSequences, JacobianProduct.Part part,
                          int maxIterations, double tolerance, long seed) {
        /**
         * Lags up to 50 from the last step of 4 sequences, ln σ to about 1e-3 (tolerance 1e-5 on its change per
         * iteration: plenty for a log-scale plot). A 2-layer, H = 128 model takes about 5 s (RNN, GRU) to 15 s
         * (LSTM) on one core; the cost grows as maxLag² · sequences · ends · G·H².
         */
        public static final Options DEFAULT = new Options(50, 1, 4, JacobianProduct.Part.STATE, 100, 1e-5, 0L);

        public Options {
            if (maxLag < 1 || endsPerSequence < 1 || maxSequences < 1 || maxIterations < 1) {
                throw new IllegalArgumentException("max lag, ends per sequence, sequences and iterations must be"
                        + " positive, got " + maxLag + ", " + endsPerSequence + ", " + maxSequences + ", " + maxIterations);
            }
            if (part == null) {
                throw new IllegalArgumentException("the Jacobian part (STATE or HIDDEN) is required");
            }
            if (!(tolerance > 0)) {
                throw new IllegalArgumentException("the tolerance must be positive, got " + tolerance);
            }
        }

        public Options withMaxLag(int v) {
            return new Options(v, endsPerSequence, maxSequences, part, maxIterations, tolerance, seed);
        }

        public Options withEndsPerSequence(int v) {
            return new Options(maxLag, v, maxSequences, part, maxIterations, tolerance, seed);
        }

        public Options withMaxSequences(int v) {
            return new Options(maxLag, endsPerSequence, v, part, maxIterations, tolerance, seed);
        }

        public Options withPart(JacobianProduct.Part v) {
            return new Options(maxLag, endsPerSequence, maxSequences, v, maxIterations, tolerance, seed);
        }

        public Options withIterations(int maxIterations, double tolerance) {
            return new Options(maxLag, endsPerSequence, maxSequences, part, maxIterations, tolerance, seed);
        }
    }

    /**
     * One layer's Jacobian norms.
     *
     * @param norms ‖J(t, t−τ)‖₂ by lag over the anchors
     * @param stepProduct Π ‖J_j‖₂ over the same τ steps, the cell-independent bound
     * @param recurrentNorm ‖W_hh‖₂ of the whole (G·H × H) recurrent matrix
     * @param gamma sup f' of the Elman cell, NaN for gated cells
     * @param unconverged how many power iterations ran out of iterations (their value is a lower bound)
     */
    public record LayerJacobians(int layer, CellType cell, ByLag norms, ByLag stepProduct, double recurrentNorm,
                                 double gamma, int unconverged) {
        /** ln of the seeds' bound τ·ln(‖W_hh‖₂ γ) (Elman); NaN for gated cells. */
        public double logBound(int lag) {
            return cell == CellType.RNN ? lag * Math.log(recurrentNorm * gamma) : Double.NaN;
        }

        /** (‖W_hh‖₂ γ)^τ (Elman); NaN for gated cells. */
        public double bound(int lag) {
            return Math.exp(logBound(lag));
        }
    }

    public static List<LayerJacobians> measure(StackProbe probe) {
        return measure(probe, Options.DEFAULT);
    }

    /** Every layer, bottom first. */
    public static List<LayerJacobians> measure(StackProbe probe, Options o) {
        List<LayerJacobians> out = new ArrayList<>();
        for (int l = 0; l < probe.numLayers(); l++) {
            Cell cell = probe.cellOf(l);
            Rng rng = new Rng(o.seed()).split("jacobian-layer-" + l);
            ByLag.Accumulator norms = new ByLag.Accumulator(o.maxLag());
            ByLag.Accumulator bound = new ByLag.Accumulator(o.maxLag());
            int unconverged = 0;
            for (int b = 0; b < Math.min(probe.batch(), o.maxSequences()); b++) {
                CellStep[] run = probe.run(l, b);
                int len = run.length;
                double[] stepLog = new double[len];
                boolean[] known = new boolean[len];
                int stride = Math.max(1, len / o.endsPerSequence());
                for (int e = 0; e < o.endsPerSequence(); e++) {
                    int t = len - 1 - e * stride;
                    if (t < 0) {
                        break;
                    }
                    norms.addLog(0, 0);
                    bound.addLog(0, 0);
                    double[] v = null;
                    double productLog = 0;
                    for (int k = t - 1; k >= -1 && t - k <= o.maxLag(); k--) {
                        JacobianProduct j = new JacobianProduct(cell, run, k + 1, t, o.part());
                        double[] start = v == null ? JacobianProduct.randomUnit(j.dimension(), rng) : stepBack(cell, run,
                                k + 1, o.part(), v);
                        JacobianProduct.Estimate est = j.powerIteration(start, o.maxIterations(), o.tolerance(), rng);
                        norms.addLog(t - k, est.norm().log());
                        unconverged += est.norm().converged() ? 0 : 1;
                        if (!known[k + 1]) {
                            JacobianProduct one = new JacobianProduct(cell, run, k + 1, k + 1, o.part());
                            JacobianProduct.Estimate s = one.powerIteration(JacobianProduct.randomUnit(one.dimension(), rng),
                                    o.maxIterations(), o.tolerance(), rng);
                            stepLog[k + 1] = s.norm().log();
                            known[k + 1] = true;
                        }
                        productLog += stepLog[k + 1];
                        bound.addLog(t - k, productLog);
                        v = est.rightVector();
                    }
                }
            }
            double gamma = cell.gamma();
            double wNorm = Spectra.largestSingularValue(cell.wHh, cell.wHh.length / cell.hiddenSize, cell.hiddenSize);
            out.add(new LayerJacobians(l, cell.type, norms.build(), bound.build(), wNorm, gamma, unconverged));
        }
        return out;
    }

    /** J_jᵀ v: the right singular vector of J(t, j) carried to a start for J(t, j − 1). */
    private static double[] stepBack(Cell cell, CellStep[] run, int j, JacobianProduct.Part part, double[] v) {
        JacobianProduct one = new JacobianProduct(cell, run, j, j, part);
        double[] out = new double[one.dimension()];
        one.transpose(v, out);
        return out;
    }
}
