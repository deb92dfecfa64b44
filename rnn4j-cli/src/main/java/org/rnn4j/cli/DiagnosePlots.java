package org.rnn4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.diag.ByLag;
import org.rnn4j.diag.GradientFlow;
import org.rnn4j.diag.JacobianNorms;
import org.rnn4j.diag.Saturation;
import org.rnn4j.diag.Spectra;
import org.rnn4j.plot.BarChart;
import org.rnn4j.plot.LineChart;

/**
 * The plots of {@code rnn4j diagnose}, each as PNG and SVG: gradient norm by lag per layer (log scale), the
 * Jacobian-product norms against the seeds' bound, the spectra of the recurrent blocks, and saturation
 * by step.
 */
final class DiagnosePlots {
    private DiagnosePlots() {
    }

    /** Writes the four plots into {@code dir}; returns the files written. */
    static List<Path> write(Path dir, String subject, List<Spectra.Block> blocks, List<GradientFlow.LayerGradients> flow,
                            List<JacobianNorms.LayerJacobians> jac, List<Saturation.LayerSaturation> sat, int lags)
            throws IOException {
        List<Path> files = new ArrayList<>();
        double[] lagAxis = range(lags + 1);

        LineChart.Builder grad = LineChart.builder("Gradient reaching each lag: " + subject)
                .xLabel("lag tau").yLabel("|dL_t/dh_(t-tau)|, geometric mean").logY();
        for (GradientFlow.LayerGradients g : flow) {
            grad.series("layer " + g.layer(), lagAxis, geometric(g.hiddenByLag(), lags));
        }
        files.addAll(grad.build().writeBoth(dir, "gradient-by-lag"));

        LineChart.Builder jb = LineChart.builder("Jacobian products |dh_t/dh_(t-tau)| against the bound")
                .xLabel("lag tau").yLabel("spectral norm (log)").logY();
        for (JacobianNorms.LayerJacobians j : jac) {
            jb.series("layer " + j.layer() + ": |J(t, t-tau)|", lagAxis, geometric(j.norms(), lags));
            jb.dashedSeries("layer " + j.layer() + ": product of step norms", lagAxis, geometric(j.stepProduct(), lags));
            if (!Double.isNaN(j.gamma())) {
                double[] bound = new double[lags + 1];
                for (int k = 0; k <= lags; k++) {
                    bound[k] = j.bound(k);
                }
                jb.dashedSeries("layer " + j.layer() + ": bound (|W_hh| gamma)^tau", lagAxis, bound);
            }
        }
        files.addAll(jb.build().writeBoth(dir, "jacobian-by-lag"));

        List<String> categories = blocks.stream().map(b -> "l" + b.layer() + " " + b.gate()).toList();
        BarChart spectra = BarChart.builder("Spectra of the recurrent blocks").categories(categories)
                .series("spectral radius", blocks.stream().mapToDouble(Spectra.Block::spectralRadius).toArray())
                .series("largest singular value", blocks.stream().mapToDouble(Spectra.Block::largestSingularValue)
                        .toArray())
                .yLabel("value").build();
        files.addAll(spectra.writeBoth(dir, "spectra"));

        LineChart.Builder sb = LineChart.builder("Saturated share by step (limit " + Saturation.DEFAULT_LIMIT + ")")
                .xLabel("step").yLabel("share of units saturated");
        for (Saturation.LayerSaturation s : sat) {
            for (int p = 0; p < s.parts().size(); p++) {
                double[] share = s.share()[p];
                sb.series("layer " + s.layer() + " " + s.parts().get(p), range(share.length), share);
            }
        }
        files.addAll(sb.build().writeBoth(dir, "saturation-by-step"));
        return files;
    }

    private static double[] range(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return v;
    }

    private static double[] geometric(ByLag b, int lags) {
        double[] v = new double[lags + 1];
        for (int k = 0; k <= lags; k++) {
            v[k] = k <= b.maxLag() && b.count(k) > b.zeros(k) ? b.geometricMean(k) : Double.NaN;
        }
        return v;
    }
}
