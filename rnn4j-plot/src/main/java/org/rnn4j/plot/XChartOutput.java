package org.rnn4j.plot;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Writes a finished XChart chart as PNG and SVG; shared by {@link LineChart} and {@link BarChart}.
 * Rendering is synchronised because an XChart chart keeps layout state while it paints.
 */
final class XChartOutput {
    private static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private final Chart<?, ?> chart;
    private final String title;
    private final String description;
    private String svg; // rendered on first use; the chart does not change after build()

    /**
     * @param chart the chart, fully configured
     * @param title the chart's title, for the SVG {@code <title>}
     * @param description what the chart shows (axes, series), for the SVG {@code <desc>}
     */
    XChartOutput(Chart<?, ?> chart, String title, String description) {
        this.chart = chart;
        this.title = title;
        this.description = description;
    }

    synchronized void writePng(Path file) throws IOException {
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime (writing " + file + ")");
            }
        }
    }

    void writeSvg(Path file) throws IOException {
        Files.writeString(file, XML_DECLARATION + svg(), StandardCharsets.UTF_8);
    }

    synchronized String svg() {
        if (svg == null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 18);
            try {
                VectorGraphicsEncoder.saveVectorGraphic(chart, bytes, VectorGraphicsFormat.SVG);
            } catch (IOException e) {
                throw new UncheckedIOException("rendering the SVG of '" + title + "' in memory failed", e);
            }
            svg = SvgText.finish(bytes.toString(StandardCharsets.UTF_8), title, description);
        }
        return svg;
    }
}
