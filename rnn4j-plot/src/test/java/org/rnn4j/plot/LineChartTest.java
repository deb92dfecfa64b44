package org.rnn4j.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class LineChartTest {
    private static final double[] STEPS = {1, 2, 3, 4, 5};
    private static final double[] LOSS = {4.0, 2.5, 1.8, 1.5, 1.4};

    @TempDir
    Path dir;

    @Test
    void aLogAxisSpanningDozensOfDecadesIsDrawnAsLog10OnALinearAxis() {
        double[] lag = {0, 1, 2, 3};
        String narrow = LineChart.builder("narrow").yLabel("norm").logY().series("a", lag, new double[] {1, 1e-2, 1e-4, 1e-6})
                .build().svg();
        assertTrue(narrow.contains("norm (logarithmic)") && !narrow.contains("log10 of norm"), "6 decades stay logarithmic");
        String wide = LineChart.builder("wide").yLabel("norm").logY().series("a", lag, new double[] {1, 1e-20, 1e-40, 1e-60})
                .build().svg();
        assertTrue(wide.contains("log10 of norm"), "60 decades: the axis says it shows log10");
    }

    @Test
    void writesPngOfTheRequestedSizeAndSvgWithTitleAndSeriesNames() throws Exception {
        LineChart chart = LineChart.builder("Loss <by> step & epoch")
                .xLabel("step").yLabel("loss").size(640, 400)
                .series("train", STEPS, LOSS)
                .dashedSeries("bound", STEPS, new double[] {5, 4, 3, 2, 1})
                .horizontalLine("unigram", 3.2)
                .build();

        List<Path> files = chart.writeBoth(dir.resolve("figures"), "loss");

        assertEquals(List.of(dir.resolve("figures/loss.png"), dir.resolve("figures/loss.svg")), files);
        ChartFiles.assertPng(files.get(0), 640, 400);
        String written = Files.readString(files.get(1));
        assertTrue(written.startsWith("<?xml"), "an SVG file starts with the XML declaration");
        Document svg = ChartFiles.parseSvg(written, 640, 400);
        String text = ChartFiles.titleAndDescription(svg);
        for (String expected : List.of("Loss <by> step & epoch", "step", "loss", "train", "bound", "unigram")) {
            assertTrue(text.contains(expected), "the SVG's title and description name '" + expected + "': " + text);
        }
        assertTrue(svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path").getLength() > 10, "the SVG draws paths");
    }

    @Test
    void svgForHtmlHasNoPrologAndDefaultSize() throws Exception {
        String svg = LineChart.builder("t").series("a", STEPS, LOSS).build().svg();
        assertTrue(svg.startsWith("<svg"), "inline SVG starts at <svg: " + svg.substring(0, 40));
        ChartFiles.parseSvg(svg, ChartStyle.DEFAULT_WIDTH, ChartStyle.DEFAULT_HEIGHT);
    }

    @Test
    void seriesColoursFollowSeriesOrder() {
        String svg = LineChart.builder("colours").series("first", STEPS, LOSS).series("second", STEPS, STEPS).build().svg();
        assertTrue(svg.contains("rgb(31,119,180)"), "the first series is tab10 blue");
        assertTrue(svg.contains("rgb(255,127,14)"), "the second series is tab10 orange");
        assertTrue(!svg.contains("rgb(44,160,44)"), "no third colour with two series");
    }

    @Test
    void logAxesSkipNonPositiveAndNonFinitePoints() throws Exception {
        double[] x = {-1, 0, 1, 10, 100, 1000, Double.POSITIVE_INFINITY};
        double[] y = {1, 1, 1e-3, 0, 1e-6, Double.NaN, 1};

        double[][] kept = DrawablePoints.filter("s", x, y, true, true);
        assertArrayEquals(new double[] {1, 100}, kept[0]);
        assertArrayEquals(new double[] {1e-3, 1e-6}, kept[1]);

        // XChart itself refuses a point <= 0 on a log axis when it paints: this renders
        LineChart chart = LineChart.builder("log-log").logX().logY().series("s", x, y).horizontalLine("eps", 1e-7).build();
        chart.writePng(dir.resolve("log.png"));
        ChartFiles.assertPng(dir.resolve("log.png"), ChartStyle.DEFAULT_WIDTH, ChartStyle.DEFAULT_HEIGHT);
    }

    @Test
    void nanIsSkippedOnLinearAxesButNonPositiveValuesAreKept() {
        double[][] kept = DrawablePoints.filter("s", new double[] {-2, 0, 1, 2}, new double[] {-1, Double.NaN, 0, 3}, false, false);
        assertArrayEquals(new double[] {-2, 1, 2}, kept[0]);
        assertArrayEquals(new double[] {-1, 0, 3}, kept[1]);
    }

    @Test
    void seriesWithoutDrawablePointIsRefusedWithItsNameAndTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LineChart.builder("grad")
                .logY()
                .series("LSTM", STEPS, LOSS)
                .series("vanished", new double[] {1, 2, 3}, new double[] {0, -1, Double.NaN})
                .build());
        assertEquals("series 'vanished' has no drawable point: of its 3 points, 1 NaN or infinite, "
                + "2 with y <= 0 on the logarithmic y axis (leave the series out or use a linear axis)", e.getMessage());

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> LineChart.builder("t").dashedSeries("none", new double[0], new double[0]).build());
        assertEquals("dashed series 'none' has no drawable point: it has no points", empty.getMessage());
    }

    @Test
    void buildChecksLengthsNamesAndSeries() {
        assertMessage("series 'train' has 5 x values but 3 y values",
                LineChart.builder("t").series("train", STEPS, new double[] {1, 2, 3}));
        assertMessage("line chart 't' has two lines named 'a'; names must be distinct, they label the legend",
                LineChart.builder("t").series("a", STEPS, LOSS).horizontalLine("a", 1));
        assertMessage("line chart 't' has no series: add one with series(name, x, y)", LineChart.builder("t"));
        assertMessage("line chart 't' has no series: add one with series(name, x, y) (a horizontal line spans the x range of the series)",
                LineChart.builder("t").horizontalLine("h", 1));
        assertMessage("horizontal line 'zero' at y = 0.0 cannot be drawn on the logarithmic y axis",
                LineChart.builder("t").logY().series("a", STEPS, LOSS).horizontalLine("zero", 0));
        assertMessage("chart size 50x500 is out of range: width and height must be 100 to 10000 pixels",
                LineChart.builder("t").series("a", STEPS, LOSS).size(50, 500));
    }

    @Test
    void arraysAreCopiedWhenAdded() {
        double[] y = LOSS.clone();
        LineChart.Builder builder = LineChart.builder("t").logY().series("a", STEPS, y);
        java.util.Arrays.fill(y, -1);
        builder.build(); // would throw "no drawable point" had the builder kept the caller's array
    }

    @Test
    void chartsRunHeadless() {
        LineChart.builder("t").series("a", STEPS, LOSS).build();
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void writeBothRefusesABaseNameWithADirectory() {
        LineChart chart = LineChart.builder("t").series("a", STEPS, LOSS).build();
        assertThrows(IllegalArgumentException.class, () -> chart.writeBoth(dir, "sub/loss"));
        assertThrows(IllegalArgumentException.class, () -> chart.writeBoth(dir, " "));
    }

    private static void assertMessage(String expected, LineChart.Builder builder) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, builder::build).getMessage());
    }
}
