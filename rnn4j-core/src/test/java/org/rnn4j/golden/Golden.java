package org.rnn4j.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.rnn4j.io.SafeTensors;
import org.rnn4j.io.SafeTensorsFile;
import org.rnn4j.io.TensorData;
import org.rnn4j.matrix.Matrix;
import org.rnn4j.model.RecurrentState;
import org.rnn4j.nn.Parameter;

/**
 * Reading the PyTorch golden fixtures in {@code src/test/resources/golden/} (see the README there and
 * {@code scripts/make_golden.py}) and comparing rnn4j's numbers with them, element by element.
 *
 * <p>Layouts agree without any transposition: a parameter is stored as PyTorch's row-major tensor, and
 * a time-major (T, B, X) tensor is rnn4j's (T·B × X) matrix, including a bidirectional output
 * {@code [forward | reverse]}. States differ: PyTorch's (L·dirs, B, H) h and c tensors against rnn4j's
 * one (B × S) matrix per layer; {@link #setTorchState} and {@link #torchState} convert.
 */
final class Golden {
    /** Where the fixtures live on the test class path. */
    static final String DIRECTORY = "/golden/";

    /**
     * The tolerance for a float32 computation against the float64 reference: |rnn4j − torch| ≤ 1e-5 +
     * 1e-4·|torch|. Why this is tight enough and loose enough:
     * <ul>
     *   <li>The fixtures' inputs are float32 and the references are computed from them in float64, so the
     *       only error is rnn4j's own float32 rounding (unit roundoff u = 6e-8) plus one rounding of the
     *       stored result.</li>
     *   <li>The sizes are tiny (T = 5, D, E ≤ 7, H = 6, L ≤ 2, B ≤ 3, at most 2 directions): a gate's
     *       pre-activation is a dot product of at most 2H + H = 18 terms (a bidirectional stack's second
     *       layer reads both directions), repeated through at most 5 steps and 2 layers, and a weight
     *       gradient sums at most T·B = 15 such products. With |weights| ≤ 0.6 and the slopes of tanh,
     *       σ, relu and of the LSTM/GRU gate products ≤ 1, errors are not amplified, so each value sees a
     *       few dozen roundings of O(1) numbers: |err| of a few 1e-6 at worst, inside atol. (Observed over
     *       all 96 layer, network and char-model fixtures, every cell, with the naive and the vectorised
     *       GEMM: at most 3.4e-6, and no element uses more than 6% of its allowance; run the golden tests with {@code -Dgolden.report=true} for the
     *       table per family.)</li>
     *   <li>rtol 1e-4 only matters above |torch| = 0.1 (losses, large gradient entries), where the sums
     *       are longer; it is still about three orders of magnitude above float32 precision.</li>
     *   <li>A real bug (a wrong index, a missing bias, a transposed weight, a dropped step) changes
     *       values by 1e-2 or more; {@link GoldenComparisonTest} checks that a 1e-3 error is caught.</li>
     *   <li>The relu fixtures keep every pre-activation more than 1e-4 from the kink, so float32 noise
     *       cannot flip a unit on or off.</li>
     * </ul>
     */
    static final Tolerance FLOAT32 = new Tolerance(1e-5, 1e-4);

    /** |actual − expected| ≤ atol + rtol·|expected|; NaN never passes. */
    record Tolerance(double atol, double rtol) {
        double allowed(double expected) {
            return atol + rtol * Math.abs(expected);
        }
    }

    /**
     * The outcome of comparing one tensor: how many elements fail, and the element that uses the largest
     * part of its allowance (the worst one), with its values.
     */
    record Comparison(int failures, int worstIndex, double actual, double expected, double maxAbsError,
                      double maxRelError, double worstRatio) {
        boolean passed() {
            return failures == 0;
        }
    }

    private Golden() {
    }

    /** The file system path of a fixture. */
    static Path resource(String fileName) {
        URL url = Golden.class.getResource(DIRECTORY + fileName);
        if (url == null) {
            throw new IllegalStateException("golden fixture " + fileName + " is not on the test class path (expected "
                    + "in rnn4j-core/src/test/resources" + DIRECTORY + "; regenerate with scripts/make_golden.py)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url + " is not a file path", e);
        }
    }

    /** The names of the fixtures {@code <prefix>*.safetensors}, sorted. */
    static List<String> fixtures(String prefix) {
        Path dir = resource("README.md").getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix) && n.endsWith(".safetensors"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SafeTensorsFile read(String fileName) throws IOException {
        return SafeTensors.read(resource(fileName));
    }

    /** The fixture's name without the extension, as it starts failure messages. */
    static String label(String fileName) {
        return fileName.replace(".safetensors", "");
    }

    static int intMeta(SafeTensorsFile f, String key) {
        String v = f.metadata().get(key);
        if (v == null) {
            throw new IllegalStateException(f.source() + ": metadata '" + key + "' is missing");
        }
        return Integer.parseInt(v);
    }

    /** A tensor as an rnn4j matrix of the given shape (a copy), checking the PyTorch shape first. */
    static Matrix matrix(TensorData t, int[] torchShape, int rows, int cols) {
        assertArrayEquals(torchShape, t.shape(), () -> t.name() + " shape");
        return Matrix.of(rows, cols, t.floats());
    }

    /**
     * Copies every parameter's value from the fixture tensor of the same name, checking its shape, and
     * checks that the fixture has no parameter the model lacks (every tensor whose name starts with one of
     * {@code parameterPrefixes}).
     */
    static void loadParameters(String label, SafeTensorsFile f, List<Parameter> params, String... parameterPrefixes)
            throws IOException {
        Set<String> names = new HashSet<>();
        for (Parameter p : params) {
            names.add(p.name());
            TensorData t = f.tensor(p.name());
            assertArrayEquals(t.shape(), p.shape(), () -> label + ": shape of " + p.name() + " (fixture vs rnn4j)");
            float[] v = t.floats();
            System.arraycopy(v, 0, p.value.data, p.value.offset, v.length);
        }
        for (String n : f.names()) {
            for (String prefix : parameterPrefixes) {
                if (n.startsWith(prefix)) {
                    assertTrue(names.contains(n), () -> label + ": the fixture has parameter " + n
                            + " but the rnn4j model does not; it has " + names);
                }
            }
        }
    }

    /** Compares every element; {@code actual} and {@code expected} must have the same length. */
    static Comparison compare(float[] actual, float[] expected, Tolerance tol) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException("rnn4j has " + actual.length + " values but torch has " + expected.length);
        }
        int failures = 0;
        int worst = -1;
        double worstRatio = -1;
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < actual.length; i++) {
            double a = actual[i];
            double b = expected[i];
            double err = Math.abs(a - b);
            double ratio = err / tol.allowed(b);
            if (!(err <= tol.allowed(b))) { // also true for NaN
                failures++;
                ratio = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
            }
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
            maxAbs = Math.max(maxAbs, Double.isNaN(err) ? Double.POSITIVE_INFINITY : err);
            maxRel = Math.max(maxRel, b == 0 ? 0 : err / Math.abs(b));
        }
        return worst < 0
                ? new Comparison(0, -1, Double.NaN, Double.NaN, 0, 0, 0)
                : new Comparison(failures, worst, actual[worst], expected[worst], maxAbs, maxRel, worstRatio);
    }

    /**
     * Asserts that rnn4j's values match the fixture tensor element by element. The failure names the
     * fixture, the tensor and the worst element by its flat index and its PyTorch index, e.g.
     * {@code "rnn_tanh_l2_b3_given: grad.rnn.weight_hh_l1[7]: rnn4j=0.1234, torch=0.1244, err=1.0e-03
     * (allowed 1.0e-05; index [1, 1] of shape [6, 6]; 1 of 36 elements outside the tolerance)"}.
     */
    static Comparison assertClose(String label, TensorData expected, float[] actual, Tolerance tol) {
        float[] want = expected.floats();
        if (actual.length != want.length) {
            fail(label + ": " + expected.name() + ": rnn4j has " + actual.length + " values but torch has "
                    + want.length + " (shape " + Arrays.toString(expected.shape()) + ")");
        }
        Comparison c = compare(actual, want, tol);
        if (!c.passed()) {
            fail(String.format("%s: %s[%d]: rnn4j=%.9g, torch=%.9g, err=%.3e (allowed %.3e; index %s of shape %s;"
                            + " %d of %d elements outside the tolerance)",
                    label, expected.name(), c.worstIndex(), c.actual(), c.expected(),
                    Math.abs(c.actual() - c.expected()), tol.allowed(c.expected()),
                    Arrays.toString(unravel(c.worstIndex(), expected.shape())), Arrays.toString(expected.shape()),
                    c.failures(), want.length));
        }
        return c;
    }

    /** Asserts one scalar, such as a loss computed in double from rnn4j's float32 values. */
    static Comparison assertClose(String label, String what, double actual, double expected, Tolerance tol) {
        double err = Math.abs(actual - expected);
        if (!(err <= tol.allowed(expected))) {
            fail(String.format("%s: %s: rnn4j=%.9g, torch=%.9g, err=%.3e (allowed %.3e)",
                    label, what, actual, expected, err, tol.allowed(expected)));
        }
        return new Comparison(0, 0, actual, expected, err, expected == 0 ? 0 : err / Math.abs(expected),
                err / tol.allowed(expected));
    }

    // ---- PyTorch's (L·dirs, B, H) state tensors and rnn4j's per-layer state ----

    /*
     * rnn4j keeps one (B × S_k) matrix per layer k. One direction's state is [h] (RNN, GRU: 1 part) or
     * [h | c] (LSTM: 2 parts), each part H wide; a bidirectional layer holds [forward state | reverse
     * state]. PyTorch keeps h and c apart, as (L·dirs, B, H) with index layer·dirs + direction. So
     * element (k, d, b, part, j) is column d·parts·H + part·H + j of row b of layer k, and element
     * ((k·dirs + d)·B + b)·H + j of PyTorch's tensor for that part.
     */

    /** Which part of a direction's state: h, or (LSTM only) c. */
    static final int H_PART = 0;
    static final int C_PART = 1;

    /**
     * Writes PyTorch's (L·dirs, B, H) tensor {@code t} (h0, c0, or the gradient of h_n or c_n) into the
     * given part of every layer's state, checking its shape.
     */
    static void setTorchState(RecurrentState state, int dirs, int hidden, int part, TensorData t) {
        int[] shape = {state.numLayers() * dirs, state.batch(), hidden};
        assertArrayEquals(shape, t.shape(), () -> t.name() + " shape (L·dirs, B, H)");
        float[] v = t.floats();
        int parts = parts(state, dirs, hidden, part);
        int batch = state.batch();
        for (int k = 0; k < state.numLayers(); k++) {
            Matrix m = state.layer(k);
            for (int d = 0; d < dirs; d++) {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(v, ((k * dirs + d) * batch + b) * hidden, m.data,
                            m.offset + b * m.cols + (d * parts + part) * hidden, hidden);
                }
            }
        }
    }

    /** One part (h or c) of every layer's state as PyTorch's (L·dirs, B, H) layout. */
    static float[] torchState(RecurrentState state, int dirs, int hidden, int part) {
        int parts = parts(state, dirs, hidden, part);
        int batch = state.batch();
        float[] v = new float[state.numLayers() * dirs * batch * hidden];
        for (int k = 0; k < state.numLayers(); k++) {
            Matrix m = state.layer(k);
            for (int d = 0; d < dirs; d++) {
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(m.data, m.offset + b * m.cols + (d * parts + part) * hidden, v,
                            ((k * dirs + d) * batch + b) * hidden, hidden);
                }
            }
        }
        return v;
    }

    /** How many H-wide parts one direction's state has (1, or 2 for LSTM), checking every layer's width. */
    private static int parts(RecurrentState state, int dirs, int hidden, int part) {
        int width = state.layer(0).cols;
        if (width % (dirs * hidden) != 0) {
            throw new IllegalArgumentException("a state " + width + " wide is not " + dirs + " directions of parts "
                    + hidden + " wide");
        }
        int parts = width / (dirs * hidden);
        for (int k = 0; k < state.numLayers(); k++) {
            assertEquals(width, state.layer(k).cols, "state width of layer " + k);
            assertEquals(state.batch(), state.layer(k).rows, "state rows (batch) of layer " + k);
        }
        if (part >= parts) {
            throw new IllegalArgumentException("part " + part + " asked of a state with " + parts + " part(s) per direction");
        }
        return parts;
    }

    // ---- the share of the tolerance used, per family of fixtures ----

    private static final Map<String, Worst> WORST = new ConcurrentSkipListMap<>();

    /**
     * A family's comparison that used the largest share of its allowance, where it was, and the largest
     * absolute error of the family (which may be elsewhere, on a larger value).
     */
    record Worst(String where, Comparison comparison, double maxAbsError) {
    }

    /**
     * {@link #assertClose(String, TensorData, float[], Tolerance)} with {@link #FLOAT32}, remembering the
     * result for the family's report.
     */
    static Comparison check(String family, String label, TensorData expected, float[] actual) {
        Comparison c = assertClose(label, expected, actual, FLOAT32);
        return track(family, label + ": " + expected.name()
                + Arrays.toString(unravel(Math.max(c.worstIndex(), 0), expected.shape())), c);
    }

    /** The scalar {@link #assertClose(String, String, double, double, Tolerance)}, remembered likewise. */
    static Comparison check(String family, String label, String what, double actual, double expected) {
        return track(family, label + ": " + what, assertClose(label, what, actual, expected, FLOAT32));
    }

    private static Comparison track(String family, String where, Comparison c) {
        WORST.merge(family, new Worst(where, c, c.maxAbsError()), (old, now) -> {
            Worst w = now.comparison().worstRatio() > old.comparison().worstRatio() ? now : old;
            return new Worst(w.where(), w.comparison(), Math.max(old.maxAbsError(), now.maxAbsError()));
        });
        return c;
    }

    /**
     * With the system property {@code golden.report=true} (for example {@code mvn test
     * -Dgolden.report=true}), prints per family the largest share of its allowance any element used and
     * the largest absolute error; otherwise the tests stay quiet.
     */
    static void printReportIfAsked(String... families) {
        if (!Boolean.getBoolean("golden.report")) {
            return;
        }
        StringBuilder s = new StringBuilder("golden: largest share of the FLOAT32 tolerance used, per family\n");
        WORST.forEach((family, w) -> {
            if (Arrays.asList(families).contains(family)) {
                s.append(String.format("  %-13s %5.1f%% at %s (rnn4j=%.9g, torch=%.9g);"
                        + " largest |err| %.2e%n", family, 100 * w.comparison().worstRatio(), w.where(),
                w.comparison().actual(), w.comparison().expected(), w.maxAbsError()));
            }
        });
        System.out.print(s);
    }

    /** The PyTorch (row-major) index of flat element i of a tensor of this shape. */
    static int[] unravel(int i, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = i % shape[d];
            i /= shape[d];
        }
        return idx;
    }
}
