package org.rnn4j.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart of one or more series over a shared x axis, either axis optionally logarithmic:
 * loss curves, gradient norms by time lag, a bound and its measured value.
 *
 * <pre>{@code
 * LineChart.builder("gradient norm by lag")
 *         .xLabel("lag").yLabel("||dL/dh_t||").logY()
 *         .series("LSTM", lags, lstmNorms)
 *         .dashedSeries("bound", lags, bound)
 *         .horizontalLine("float32 epsilon", 1.19e-7)
 *         .build()
 *         .writeBoth(dir, "gradient-by-lag");
 * }</pre>
 *
 * <p>Colours and markers follow the order in which series, dashed series and horizontal lines were
 * added (see {@link Builder#series}). Points with a NaN or infinite coordinate are always skipped;
 * on a logarithmic axis so are points whose coordinate on that axis is zero or negative.
 */
public final class LineChart implements Chart {
    static {
        Headless.ensure();
    }

    /** A series with more drawable points than this is drawn without markers, which would hide the line. */
    public static final int MAX_MARKED_POINTS = 100;
    /**
     * A logarithmic y axis spanning more decades than this is drawn as log10(y) on a linear axis, titled
     * "log10 of ..." (a vanishing gradient can span 80 decades, and one label per decade would overlap).
     */
    public static final int MAX_LOG_DECADES = 15;

    private final XChartOutput output;

    private LineChart(XChartOutput output) {
        this.output = output;
    }

    /** Starts a chart with this title (may be empty, not null). */
    public static Builder builder(String title) {
        return new Builder(Objects.requireNonNull(title, "title"));
    }

    @Override
    public void writePng(Path file) throws IOException {
        output.writePng(file);
    }

    @Override
    public void writeSvg(Path file) throws IOException {
        output.writeSvg(file);
    }

    @Override
    public String svg() {
        return output.svg();
    }

    private enum Kind { SOLID, DASHED, HORIZONTAL }

    /** One line as given to the builder; {@code x} is null for a horizontal line, whose y is {@code y[0]}. */
    private record Line(String name, Kind kind, double[] x, double[] y) {
        String describe() {
            return switch (kind) {
                case SOLID -> "series '" + name + "'";
                case DASHED -> "dashed series '" + name + "'";
                case HORIZONTAL -> "horizontal line '" + name + "'";
            };
        }
    }

    /** Collects axes and lines; {@link #build()} checks them and lays out the chart. Not thread-safe. */
    public static final class Builder {
        private final String title;
        private String xLabel = "";
        private String yLabel = "";
        private boolean logX;
        private boolean logY;
        private int width = ChartStyle.DEFAULT_WIDTH;
        private int height = ChartStyle.DEFAULT_HEIGHT;
        private final List<Line> lines = new ArrayList<>();

        private Builder(String title) {
            this.title = title;
        }

        /** Title of the x axis. */
        public Builder xLabel(String label) {
            this.xLabel = Objects.requireNonNull(label, "xLabel");
            return this;
        }

        /** Title of the y axis. */
        public Builder yLabel(String label) {
            this.yLabel = Objects.requireNonNull(label, "yLabel");
            return this;
        }

        /** Makes the x axis logarithmic (decade ticks); points with x &lt;= 0 are then skipped. */
        public Builder logX() {
            this.logX = true;
            return this;
        }

        /** Makes the y axis logarithmic (decade ticks); points with y &lt;= 0 are then skipped. */
        public Builder logY() {
            this.logY = true;
            return this;
        }

        /** Image size in pixels (default 800x500); the SVG has the same size. Checked in {@link #build()}. */
        public Builder size(int widthPx, int heightPx) {
            this.width = widthPx;
            this.height = heightPx;
            return this;
        }

        /**
         * A solid line through {@code (x[i], y[i])}, with small markers when it has at most
         * {@link #MAX_MARKED_POINTS} drawable points. The arrays are copied.
         */
        public Builder series(String name, double[] x, double[] y) {
            return add(name, Kind.SOLID, x, y);
        }

        /** A dashed line without markers, for bounds and baselines. The arrays are copied. */
        public Builder dashedSeries(String name, double[] x, double[] y) {
            return add(name, Kind.DASHED, x, y);
        }

        /** A dashed horizontal line at {@code y} across the x range of the other series. */
        public Builder horizontalLine(String name, double y) {
            lines.add(new Line(name, Kind.HORIZONTAL, null, new double[] {y}));
            return this;
        }

        private Builder add(String name, Kind kind, double[] x, double[] y) {
            Objects.requireNonNull(x, () -> "x of series '" + name + "'");
            Objects.requireNonNull(y, () -> "y of series '" + name + "'");
            lines.add(new Line(name, kind, x.clone(), y.clone()));
            return this;
        }

        /**
         * Checks and lays out the chart.
         *
         * @throws IllegalArgumentException if there is no series with points (a horizontal line alone
         *     has no x range), a name is missing or used twice, x and y of a series differ in length,
         *     a series has no drawable point, or the size is outside 100..10000 pixels
         */
        public LineChart build() {
            ChartStyle.checkSize(width, height);
            checkNames();
            List<double[][]> drawn = drawnPoints();
            boolean exponentY = logY && decades(range(drawn, 1)) > MAX_LOG_DECADES;
            if (exponentY) { // XChart labels every decade: past a few dozen they pile up, so draw log10 y linearly
                for (double[][] xy : drawn) {
                    for (int k = 0; k < xy[1].length; k++) {
                        xy[1][k] = Math.log10(xy[1][k]);
                    }
                }
            }
            XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel)
                    .yAxisTitle(exponentY ? "log10 of " + yLabel : yLabel).build();
            ChartStyle.apply(chart.getStyler(), logX, logY && !exponentY);
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                double[][] xy = drawn.get(i);
                XYSeries s = chart.addSeries(line.name, xy[0], xy[1]);
                s.setLineColor(ChartStyle.color(i));
                s.setMarkerColor(ChartStyle.color(i));
                boolean solid = line.kind == Kind.SOLID;
                s.setLineStyle(solid ? ChartStyle.SOLID : ChartStyle.DASHED);
                s.setMarker(solid && xy[0].length <= MAX_MARKED_POINTS ? ChartStyle.marker(i) : SeriesMarkers.NONE);
            }
            unevenTickAnchor(chart, drawn);
            if (logX) {
                double[] range = range(drawn, 0);
                ChartStyle.logLabels(chart.getStyler(), true, range[0], range[1]);
            }
            if (logY && !exponentY) {
                double[] range = range(drawn, 1);
                ChartStyle.logLabels(chart.getStyler(), false, range[0], range[1]);
            }
            return new LineChart(new XChartOutput(chart, title, describe(exponentY)));
        }

        /**
         * XChart puts an x tick on every n-th data value, not on round numbers, when the x values are
         * equally spaced (knowm/XChart issue 731), and then ignores the tick spacing hint, so the labels
         * of a long run (1, 57, 113, ...) run into each other. One invisible point at an x off the grid
         * makes it choose round ticks (0, 200, 400, ...) as for any other data.
         */
        private static void unevenTickAnchor(XYChart chart, List<double[][]> drawn) {
            double[][] first = null;
            for (double[][] xy : drawn) {
                if (xy != null && xy[0].length >= 2) {
                    first = xy;
                    break;
                }
            }
            if (first == null) {
                return;
            }
            double x = first[0][0] + 0.5 * (first[0][1] - first[0][0]) * 0.618; // between the first two points
            XYSeries anchor = chart.addSeries("(x tick anchor)", new double[] {x}, new double[] {first[1][0]});
            anchor.setShowInLegend(false);
            anchor.setMarker(SeriesMarkers.NONE);
            anchor.setLineStyle(SeriesLines.NONE);
        }

        /**
         * The points to draw, {@code {x, y}} per line: the drawable points of each series, and each
         * horizontal line as two points spanning the x range of the series.
         */
        private List<double[][]> drawnPoints() {
            if (lines.stream().noneMatch(l -> l.kind != Kind.HORIZONTAL)) {
                throw new IllegalArgumentException("line chart '" + title + "' has no series: add one with series(name, x, y)"
                        + (lines.isEmpty() ? "" : " (a horizontal line spans the x range of the series)"));
            }
            List<double[][]> drawn = new ArrayList<>();
            for (Line line : lines) {
                if (line.kind == Kind.HORIZONTAL) {
                    drawn.add(null);
                } else if (line.x.length != line.y.length) {
                    throw new IllegalArgumentException(line.describe() + " has " + line.x.length + " x values but "
                            + line.y.length + " y values");
                } else {
                    drawn.add(DrawablePoints.filter(line.describe(), line.x, line.y, logX, logY));
                }
            }
            double[] xRange = range(drawn, 0);
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                if (line.kind == Kind.HORIZONTAL) {
                    double y = line.y[0];
                    if (!DrawablePoints.drawable(y, logY)) {
                        throw new IllegalArgumentException(line.describe() + " at y = " + y + " cannot be drawn"
                                + (Double.isFinite(y) ? " on the logarithmic y axis" : ""));
                    }
                    drawn.set(i, new double[][] {{xRange[0], xRange[1]}, {y, y}});
                }
            }
            return drawn;
        }

        private static double decades(double[] range) {
            return Math.log10(range[1] / range[0]);
        }

        /** {@code {min, max}} of coordinate {@code axis} (0 for x, 1 for y) over the lines drawn so far (nulls skipped). */
        private static double[] range(List<double[][]> drawn, int axis) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[][] xy : drawn) {
                if (xy != null) {
                    for (double v : xy[axis]) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
            return new double[] {min, max};
        }

        private void checkNames() {
            Set<String> seen = new HashSet<>();
            for (Line line : lines) {
                if (line.name == null || line.name.isBlank()) {
                    throw new IllegalArgumentException("line chart '" + title + "': a " + line.kind.name().toLowerCase(Locale.ROOT)
                            + " line has no name; every series needs one for the legend");
                }
                if (!seen.add(line.name)) {
                    throw new IllegalArgumentException("line chart '" + title + "' has two lines named '" + line.name
                            + "'; names must be distinct, they label the legend");
                }
            }
        }

        private String describe(boolean exponentY) {
            StringBuilder d = new StringBuilder("Line chart. x axis: ").append(xLabel.isEmpty() ? "unnamed" : xLabel)
                    .append(logX ? " (logarithmic)" : "").append(". y axis: ").append(exponentY ? "log10 of " : "").append(yLabel.isEmpty() ? "unnamed" : yLabel)
                    .append(logY && !exponentY ? " (logarithmic)" : "").append(". Series: ");
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                d.append(i == 0 ? "" : "; ").append(line.name);
                switch (line.kind) {
                    case SOLID -> { }
                    case DASHED -> d.append(" (dashed)");
                    case HORIZONTAL -> d.append(" (horizontal line at y = ").append(line.y[0]).append(')');
                }
            }
            return d.append('.').toString();
        }
    }
}
