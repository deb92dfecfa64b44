package org.rnn4j.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.Locale;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The look shared by every chart: white background, light grid, legend outside on the right (it
 * never hides data), readable fonts, and colours and markers chosen by series order, so that the
 * third series of any chart is always green with a square marker.
 */
final class ChartStyle {
    /** Default width in pixels. */
    static final int DEFAULT_WIDTH = 800;
    /** Default height in pixels. */
    static final int DEFAULT_HEIGHT = 500;
    /** Pixels between the ticks of a linear x axis (XChart: at least). */
    static final int X_TICK_SPACING = 90;

    /** Matplotlib's "tab10", the palette most readers already know; repeats after ten series. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    private static final Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN,
    };
    private static final Color TEXT = new Color(0x222222);
    private static final Color GRID = new Color(0xdddddd);
    private static final Color FRAME = new Color(0x999999);

    static final BasicStroke SOLID = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {7f, 5f}, 0f);
    static final int MARKER_SIZE = 6;
    /** From this many decades on, a log axis labels decades only. */
    static final double MIN_DECADES_FOR_DECADE_LABELS = 2;

    private ChartStyle() {
    }

    /** Checks a chart size: below 100 pixels XChart cannot lay out, above 10000 the image takes gigabytes. */
    static void checkSize(int width, int height) {
        if (width < 100 || height < 100 || width > 10_000 || height > 10_000) {
            throw new IllegalArgumentException("chart size " + width + "x" + height
                    + " is out of range: width and height must be 100 to 10000 pixels");
        }
    }

    /**
     * Labels a logarithmic axis at decades only (1, 10, 100; the minor ticks stay, unlabelled) when it
     * spans at least {@link #MIN_DECADES_FOR_DECADE_LABELS} decades; a narrower axis labels its minor
     * ticks too, or it would show one label or none.
     *
     * @param min smallest value drawn on the axis, &gt; 0
     * @param max largest value drawn on the axis
     */
    static void logLabels(AxesChartStyler s, boolean xAxis, double min, double max) {
        boolean decadesOnly = Math.log10(max / min) >= MIN_DECADES_FOR_DECADE_LABELS;
        if (xAxis) {
            s.setXAxisLogarithmicDecadeOnly(decadesOnly);
        } else {
            s.setYAxisLogarithmicDecadeOnly(decadesOnly);
        }
    }

    /** The colour of the series at {@code index} (0-based, in the order the series were added). */
    static Color color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /** The marker of the series at {@code index}. */
    static Marker marker(int index) {
        return MARKERS[index % MARKERS.length];
    }

    /** Applies the shared look and makes the chosen axes logarithmic. */
    static void apply(AxesChartStyler s, boolean logX, boolean logY) {
        s.setAntiAlias(true);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(FRAME);
        s.setPlotGridLinesVisible(true);
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartFontColor(TEXT);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsColor(TEXT);
        s.setAxisTickMarksColor(FRAME);
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendPosition(LegendPosition.OutsideE);
        s.setLegendBorderColor(GRID);
        s.setLegendBackgroundColor(Color.WHITE);
        s.setSeriesColors(PALETTE);
        s.setMarkerSize(MARKER_SIZE);
        s.setLocale(Locale.ROOT);
        s.setXAxisTickMarkSpacingHint(X_TICK_SPACING); // XChart crowds the labels of an integer axis otherwise
        s.setXAxisLogarithmic(logX);
        s.setYAxisLogarithmic(logY);
    }
}
