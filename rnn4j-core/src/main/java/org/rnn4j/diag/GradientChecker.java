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
 * transposed product) gives relative errors of order 1. Gradients too small for float32 to resolve
 * (below about ulp(L)/ε, e.g. 2e-4 for a loss of 10) are compared absolutely at that noise level.
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

    /**
     * All compared elements, the failures among them, and the elements left out because the loss has a
     * kink between θ − ε and θ + ε (only with {@link #skipKinks()}).
     */
    public record Report(List<Check> checks, List<Check> failures, List<Check> kinks, double maxRelativeError) {
        public boolean passed() {
            return failures.isEmpty();
        }

        /** A readable summary naming the first failures. */
        public String summary() {
            StringBuilder sb = new StringBuilder(String.format("%d elements checked, %d failed, %d at kinks, max relErr %.3g",
                    checks.size(), failures.size(), kinks.size(), maxRelativeError));
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
    private boolean skipKinks;
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

    /**
     * For piecewise-linear activations (ReLU): an element whose central difference fails is left out, and
     * counted in {@link Report#kinks()}, when its two one-sided differences disagree by more than the
     * tolerance, i.e. the loss is not smooth within ±ε. A wrong analytic gradient at a smooth point still
     * fails, since there the one-sided differences agree. Callers should bound the share of kinks.
     */
    public GradientChecker skipKinks() {
        skipKinks = true;
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
        List<Check> kinks = new ArrayList<>();
        double center = skipKinks ? f.loss() : Double.NaN;
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
                // float32 rounding of the loss (about one ulp per evaluation) limits what a difference
                // quotient can resolve: below this noise, compare absolutely instead of relatively.
                double noise = 2 * Math.ulp((float) Math.max(Math.abs(plus), Math.abs(minus))) / step;
                double denominator = Math.max(Math.abs(a) + Math.abs(numeric), Math.max(floor, noise / tolerance));
                double err = Math.abs(a - numeric) / denominator;
                Check c = new Check(p.name(), i, a, numeric, err);
                if (!(err <= tolerance) && skipKinks && atKink(plus, center, minus, step / 2, denominator)) {
                    kinks.add(c);
                    continue;
                }
                checks.add(c);
                maxErr = Math.max(maxErr, err);
                if (!(err <= tolerance)) {
                    failures.add(c);
                }
            }
        }
        return new Report(checks, failures, kinks, maxErr);
    }

    private boolean atKink(double plus, double center, double minus, double h, double scale) {
        double forward = (plus - center) / h;
        double backward = (center - minus) / h;
        return Math.abs(forward - backward) / scale > tolerance;
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
