package org.rnn4j.diag;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.matrix.Rng;
import org.rnn4j.nn.Parameter;

/**
 * Checks analytic gradients against central differences:
 * <pre>
 *   numeric = (L(θ + ε) − L(θ − ε)) / 2ε,    relErr = |analytic − numeric| / max(|analytic| + |numeric|, floor)
 * </pre>
 * The loss is evaluated in double by the caller's function; parameters are float32, so ε cannot be tiny:
 * with ε = 1e-2 the truncation error of the central difference is O(ε²·L''') ≈ 1e-4 relative, and the
 * float32 rounding of a loss of order 1 (≈ 1e-7) divided by 2ε adds ≈ 1e-5. The default tolerance 1e-2
 * leaves a margin of two orders of magnitude over both, while a wrong gradient (a missing term, a
 * transposed product) gives relative errors of order 1.
 *
 * <p>Usable on any layer or model: give it the parameters (wrap inputs or initial states in a
 * {@link Parameter} to check their gradients too) and a {@link Objective}.
 */
public final class GradientChecker {
    public static final double DEFAULT_EPSILON = 1e-2;
    public static final double DEFAULT_TOLERANCE = 1e-2;
    /** Gradients smaller than this in absolute terms are compared absolutely (relErr denominator floor). */
    public static final double DEFAULT_FLOOR = 1e-3;

    /** The function under test. */
    public interface Objective {
        /** The loss at the current parameter values (no gradient). */
        double loss();

        /** Zeroes the gradients, runs forward and backward, and returns the loss. */
        double lossAndGradient();
    }

    /** One compared element. */
    public record Check(String parameter, int index, double analytic, double numeric, double relativeError) {
        @Override
        public String toString() {
            return String.format("%s[%d]: analytic=%.6g, numeric=%.6g, relErr=%.3g", parameter, index, analytic, numeric,
                    relativeError);
        }
    }

    /** All compared elements and the failures among them. */
    public record Report(List<Check> checks, List<Check> failures, double maxRelativeError) {
        public boolean passed() {
            return failures.isEmpty();
        }

        /** A readable summary naming the first failures. */
        public String summary() {
            StringBuilder sb = new StringBuilder(String.format("%d elements checked, %d failed, max relErr %.3g",
                    checks.size(), failures.size(), maxRelativeError));
            for (Check c : failures.subList(0, Math.min(10, failures.size()))) {
                sb.append("\n  ").append(c);
            }
            return sb.toString();
        }
    }

    private double epsilon = DEFAULT_EPSILON;
    private double tolerance = DEFAULT_TOLERANCE;
    private double floor = DEFAULT_FLOOR;
    private int maxPerParameter = Integer.MAX_VALUE;
    private Rng rng = new Rng(0);

    public GradientChecker epsilon(double v) {
        epsilon = v;
        return this;
    }

    public GradientChecker tolerance(double v) {
        tolerance = v;
        return this;
    }

    public GradientChecker floor(double v) {
        floor = v;
        return this;
    }

    /** Checks at most n randomly chosen elements of each parameter (all when it has fewer). */
    public GradientChecker maxPerParameter(int n, Rng sampler) {
        maxPerParameter = n;
        rng = sampler;
        return this;
    }

    public Report check(Objective f, List<Parameter> parameters) {
        f.lossAndGradient();
        List<double[]> analytic = new ArrayList<>();
        for (Parameter p : parameters) {
            double[] g = new double[p.size()];
            for (int i = 0; i < g.length; i++) {
                g[i] = p.grad.data[p.grad.offset + i];
            }
            analytic.add(g);
        }
        List<Check> checks = new ArrayList<>();
        List<Check> failures = new ArrayList<>();
        double maxErr = 0;
        for (int pi = 0; pi < parameters.size(); pi++) {
            Parameter p = parameters.get(pi);
            for (int i : indices(p.size())) {
                int at = p.value.offset + i;
                float saved = p.value.data[at];
                p.value.data[at] = (float) (saved + epsilon);
                double plus = f.loss();
                p.value.data[at] = (float) (saved - epsilon);
                double minus = f.loss();
                p.value.data[at] = saved;
                // the perturbation actually applied, after rounding to float32
                double step = (double) (float) (saved + epsilon) - (double) (float) (saved - epsilon);
                double numeric = (plus - minus) / step;
                double a = analytic.get(pi)[i];
                double err = Math.abs(a - numeric) / Math.max(Math.abs(a) + Math.abs(numeric), floor);
                Check c = new Check(p.name(), i, a, numeric, err);
                checks.add(c);
                maxErr = Math.max(maxErr, err);
                if (!(err <= tolerance)) {
                    failures.add(c);
                }
            }
        }
        return new Report(checks, failures, maxErr);
    }

    private int[] indices(int size) {
        if (size <= maxPerParameter) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] pick = new int[maxPerParameter];
        for (int i = 0; i < pick.length; i++) {
            pick[i] = rng.nextInt(size);
        }
        return pick;
    }
}
