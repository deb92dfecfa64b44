package org.rnn4j.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;

/**
 * Grouped bars: one group per category, one bar per series in each group, for example the spectral
 * radius of each gate's recurrent matrix (series {@code i, f, g, o}) in each layer (categories).
 *
 * <pre>{@code
 * BarChart.builder("spectral radius of W_hh")
 *         .categories(List.of("layer 0", "layer 1"))
 *         .series("i", new double[] {0.91, 0.87})
 *         .series("f", new double[] {1.02, 0.99})
 *         .yLabel("|lambda|max")
 *         .build()
 *         .writeBoth(dir, "spectral-radius");
 * }</pre>
 *
 * <p>A NaN or infinite value draws no bar; on a logarithmic y axis neither does a value &lt;= 0, and
 * the bars start one decade below the smallest value shown. Colours follow the order of the series.
 */
public final class BarChart implements Chart {
    static {
        Headless.ensure();
    }

    private final XChartOutput output;

    private BarChart(XChartOutput output) {
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

    private record Bars(String name, double[] values) {
    }

    /** Collects categories and series; {@link #build()} checks them and lays out the chart. Not thread-safe. */
    public static final class Builder {
        private final String title;
        private List<String> categories;
        private String xLabel = "";
        private String yLabel = "";
        private boolean logY;
        private int width = ChartStyle.DEFAULT_WIDTH;
        private int height = ChartStyle.DEFAULT_HEIGHT;
        private final List<Bars> series = new ArrayList<>();

        private Builder(String title) {
            this.title = title;
        }

        /** The groups along the x axis, in order; names must be distinct. The list is copied. */
        public Builder categories(List<String> categories) {
            this.categories = List.copyOf(Objects.requireNonNull(categories, "categories"));
            return this;
        }

        /** One bar per category, {@code values[k]} for category {@code k}. The array is copied. */
        public Builder series(String name, double[] values) {
            Objects.requireNonNull(values, () -> "values of series '" + name + "'");
            series.add(new Bars(name, values.clone()));
            return this;
        }

        /** Title of the x axis (the categories); none by default. */
        public Builder xLabel(String label) {
            this.xLabel = Objects.requireNonNull(label, "xLabel");
            return this;
        }

        /** Title of the y axis. */
        public Builder yLabel(String label) {
            this.yLabel = Objects.requireNonNull(label, "yLabel");
            return this;
        }

        /** Makes the y axis logarithmic (decade ticks); values &lt;= 0 then draw no bar. */
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
         * Checks and lays out the chart.
         *
         * @throws IllegalArgumentException if categories are missing, empty or repeated, there is no
         *     series, a series name is missing or repeated, a series does not have one value per
         *     category, a series has no drawable value, or the size is outside 100..10000 pixels
         */
        public BarChart build() {
            ChartStyle.checkSize(width, height);
            checkCategories();
            if (series.isEmpty()) {
                throw new IllegalArgumentException("bar chart '" + title + "' has no series: add one with series(name, values)");
            }
            Set<String> names = new HashSet<>();
            List<List<Double>> shown = new ArrayList<>();
            double smallest = Double.POSITIVE_INFINITY;
            double largest = Double.NEGATIVE_INFINITY;
            for (Bars bars : series) {
                if (bars.name == null || bars.name.isBlank()) {
                    throw new IllegalArgumentException("bar chart '" + title + "': a series has no name; every series needs one for the legend");
                }
                if (!names.add(bars.name)) {
                    throw new IllegalArgumentException("bar chart '" + title + "' has two series named '" + bars.name
                            + "'; names must be distinct, they label the legend");
                }
                if (bars.values.length != categories.size()) {
                    throw new IllegalArgumentException("series '" + bars.name + "' has " + bars.values.length
                            + " values but there are " + categories.size() + " categories");
                }
                List<Double> values = new ArrayList<>();
                for (double v : bars.values) {
                    boolean drawable = DrawablePoints.drawable(v, logY);
                    values.add(drawable ? v : null); // XChart draws no bar for null
                    if (drawable) {
                        smallest = Math.min(smallest, v);
                        largest = Math.max(largest, v);
                    }
                }
                if (values.stream().allMatch(Objects::isNull)) {
                    throw new IllegalArgumentException("series '" + bars.name + "' has no drawable value: all "
                            + bars.values.length + " are NaN or infinite" + (logY ? " or <= 0 on the logarithmic y axis"
                            + " (leave the series out or use a linear axis)" : ""));
                }
                shown.add(values);
            }

            CategoryChart chart = new CategoryChartBuilder().width(width).height(height)
                    .title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
            ChartStyle.apply(chart.getStyler(), false, logY);
            chart.getStyler().setOverlapped(false);
            chart.getStyler().setStacked(false);
            if (logY) {
                // XChart starts bars at 0, which a log axis cannot show: start them a decade below the smallest bar
                double bottom = Math.pow(10, Math.ceil(Math.log10(smallest)) - 1);
                chart.getStyler().setYAxisMin(bottom);
                ChartStyle.logLabels(chart.getStyler(), false, bottom, largest);
            }
            for (int i = 0; i < series.size(); i++) {
                CategorySeries s = chart.addSeries(series.get(i).name, categories, shown.get(i));
                s.setFillColor(ChartStyle.color(i));
                s.setLineColor(ChartStyle.color(i));
            }
            return new BarChart(new XChartOutput(chart, title, describe()));
        }

        private void checkCategories() {
            if (categories == null || categories.isEmpty()) {
                throw new IllegalArgumentException("bar chart '" + title + "' has no categories: call categories(List.of(...))");
            }
            Set<String> seen = new HashSet<>();
            for (String c : categories) {
                if (!seen.add(c)) {
                    throw new IllegalArgumentException("bar chart '" + title + "' has the category '" + c
                            + "' twice; categories must be distinct");
                }
            }
        }

        private String describe() {
            List<String> names = series.stream().map(Bars::name).toList();
            return "Bar chart. Categories" + (xLabel.isEmpty() ? "" : " (" + xLabel + ")") + ": "
                    + String.join(", ", categories) + ". y axis: " + (yLabel.isEmpty() ? "unnamed" : yLabel)
                    + (logY ? " (logarithmic)" : "") + ". Series: " + String.join("; ", names) + ".";
        }
    }
}
