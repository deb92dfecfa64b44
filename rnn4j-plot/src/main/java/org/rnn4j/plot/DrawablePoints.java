package org.rnn4j.plot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which points a chart can draw. A point with a NaN or infinite coordinate is never drawn; on a
 * logarithmic axis, neither is a point whose coordinate on that axis is zero or negative.
 */
final class DrawablePoints {
    private DrawablePoints() {
    }

    /** Whether {@code v} can be placed on an axis that is logarithmic or not. */
    static boolean drawable(double v, boolean logAxis) {
        return Double.isFinite(v) && (!logAxis || v > 0);
    }

    /**
     * The drawable points of a series as {@code {x, y}}, in their original order.
     *
     * @param what names the series in messages, e.g. {@code "series 'loss'"}
     * @throws IllegalArgumentException if no point is drawable; the message counts the reasons
     */
    static double[][] filter(String what, double[] x, double[] y, boolean logX, boolean logY) {
        int n = x.length;
        double[] keptX = new double[n];
        double[] keptY = new double[n];
        int kept = 0;
        int nonFinite = 0;
        int nonPositiveX = 0;
        int nonPositiveY = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                nonFinite++;
            } else if (logX && x[i] <= 0) {
                nonPositiveX++;
            } else if (logY && y[i] <= 0) {
                nonPositiveY++;
            } else {
                keptX[kept] = x[i];
                keptY[kept] = y[i];
                kept++;
            }
        }
        if (kept == 0) {
            throw new IllegalArgumentException(what + " has no drawable point"
                    + reasons(n, nonFinite, nonPositiveX, nonPositiveY));
        }
        return new double[][] {Arrays.copyOf(keptX, kept), Arrays.copyOf(keptY, kept)};
    }

    private static String reasons(int n, int nonFinite, int nonPositiveX, int nonPositiveY) {
        if (n == 0) {
            return ": it has no points";
        }
        List<String> parts = new ArrayList<>();
        if (nonFinite > 0) {
            parts.add(nonFinite + " NaN or infinite");
        }
        if (nonPositiveX > 0) {
            parts.add(nonPositiveX + " with x <= 0 on the logarithmic x axis");
        }
        if (nonPositiveY > 0) {
            parts.add(nonPositiveY + " with y <= 0 on the logarithmic y axis");
        }
        String hint = nonPositiveX + nonPositiveY > 0 ? " (leave the series out or use a linear axis)" : "";
        return ": of its " + n + " point" + (n == 1 ? "" : "s") + ", " + String.join(", ", parts) + hint;
    }
}
