package org.rnn4j.plot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One drawable figure, written as PNG (for a quick look) or SVG (for reports and papers).
 *
 * <p>Implementations render from data copied when they were built, so a chart can be written many
 * times and in any order. They are safe to write from several threads.
 */
public interface Chart {

    /** Writes the chart as a PNG image of the chart's size in pixels, replacing {@code file}. */
    void writePng(Path file) throws IOException;

    /** Writes the chart as an SVG file (UTF-8, with an XML declaration), replacing {@code file}. */
    void writeSvg(Path file) throws IOException;

    /**
     * The SVG document as text, without XML declaration or DOCTYPE, so that it can be inlined in HTML.
     * Its {@code <title>} is the chart's title and its {@code <desc>} names the axes and the series;
     * the drawn text itself consists of glyph outlines (XChart draws all text as shapes).
     */
    String svg();

    /** Writes dir/baseName.png and dir/baseName.svg (creating dir), returns the two paths, png first. */
    default List<Path> writeBoth(Path dir, String baseName) throws IOException {
        if (baseName == null || baseName.isBlank() || baseName.contains("/") || baseName.contains("\\")) {
            throw new IllegalArgumentException("baseName must be a plain file name without extension or directory, got '"
                    + baseName + "'");
        }
        Files.createDirectories(dir);
        Path png = dir.resolve(baseName + ".png");
        Path svg = dir.resolve(baseName + ".svg");
        writePng(png);
        writeSvg(svg);
        return List.of(png, svg);
    }
}
