package org.rnn4j.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarChartTest {
    private static final List<String> LAYERS = List.of("layer 0", "layer 1");

    @TempDir
    Path dir;

    @Test
    void groupedBarsAsPngAndSvg() throws Exception {
        BarChart chart = BarChart.builder("Spectral radius of W_hh")
                .categories(LAYERS)
                .series("i", new double[] {0.91, 0.87})
                .series("f", new double[] {1.02, Double.NaN})
                .yLabel("spectral radius")
                .size(500, 300)
                .build();

        List<Path> files = chart.writeBoth(dir, "rho");

        ChartFiles.assertPng(files.get(0), 500, 300);
        String text = ChartFiles.titleAndDescription(ChartFiles.parseSvg(chart.svg(), 500, 300));
        for (String expected : List.of("Spectral radius of W_hh", "layer 0", "layer 1", "spectral radius", "Series: i; f")) {
            assertTrue(text.contains(expected), "the SVG's title and description name '" + expected + "': " + text);
        }
    }

    @Test
    void logAxisDrawsNoBarForNonPositiveValues() throws Exception {
        BarChart chart = BarChart.builder("log").categories(LAYERS)
                .series("a", new double[] {1e-5, 0.0})
                .series("b", new double[] {-1, 3})
                .logY().build();
        chart.writePng(dir.resolve("log.png")); // XChart would refuse 0 (or bars from 0) on a log axis
        ChartFiles.assertPng(dir.resolve("log.png"), ChartStyle.DEFAULT_WIDTH, ChartStyle.DEFAULT_HEIGHT);
    }

    @Test
    void buildChecksCategoriesAndSeries() {
        assertMessage("series 'f' has 3 values but there are 2 categories",
                BarChart.builder("t").categories(LAYERS).series("f", new double[] {1, 2, 3}));
        assertMessage("series 'f' has no drawable value: all 2 are NaN or infinite or <= 0 on the logarithmic y axis"
                        + " (leave the series out or use a linear axis)",
                BarChart.builder("t").categories(LAYERS).series("i", new double[] {1, 2}).series("f", new double[] {0, Double.NaN}).logY());
        assertMessage("bar chart 't' has no categories: call categories(List.of(...))",
                BarChart.builder("t").series("f", new double[] {1}));
        assertMessage("bar chart 't' has the category 'a' twice; categories must be distinct",
                BarChart.builder("t").categories(List.of("a", "a")).series("f", new double[] {1, 2}));
        assertMessage("bar chart 't' has no series: add one with series(name, values)", BarChart.builder("t").categories(LAYERS));
        assertMessage("bar chart 't' has two series named 'i'; names must be distinct, they label the legend",
                BarChart.builder("t").categories(LAYERS).series("i", new double[] {1, 2}).series("i", new double[] {1, 2}));
    }

    private static void assertMessage(String expected, BarChart.Builder builder) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, builder::build).getMessage());
    }
}
