package org.rnn4j.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A self-contained HTML page: headings, paragraphs, preformatted text, tables and figures, one file
 * that opens anywhere. Figures are the charts' SVG inlined; the only style sheet is a small inline
 * one; nothing is loaded from other files or the network, and there are no scripts.
 *
 * <p>All text is HTML-escaped, so it shows exactly as given (a URL in a paragraph is text, not a
 * link). Each figure's SVG element ids are prefixed with its figure number so that two charts on
 * one page never resolve each other's clip paths.
 *
 * <pre>{@code
 * HtmlReport.builder("rnn4j diagnose: lstm.model")
 *         .paragraph("Gradient norms by time lag, 4 sequences of 200 steps.")
 *         .figure(gradientChart, "Figure 1. ||dL/dh_t|| against the lag.")
 *         .table(List.of("gate", "spectral radius"), rows)
 *         .build()
 *         .write(dir.resolve("report.html"));
 * }</pre>
 */
public final class HtmlReport {
    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
                   max-width: 1000px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
            h1 { font-size: 1.6em; border-bottom: 1px solid #ddd; padding-bottom: .3em; }
            h2 { font-size: 1.25em; margin-top: 1.6em; }
            pre { background: #f6f8fa; border: 1px solid #e1e4e8; padding: .8em; overflow-x: auto; font-size: .9em; }
            table { border-collapse: collapse; margin: 1em 0; font-size: .95em; }
            th, td { border: 1px solid #ccc; padding: .3em .7em; text-align: left; }
            th { background: #f0f0f0; }
            tr:nth-child(even) td { background: #fafafa; }
            figure { margin: 1.5em 0; }
            figure svg { max-width: 100%; height: auto; display: block; }
            figcaption { color: #555; font-size: .95em; margin-top: .4em; }
            """;
    private static final Pattern SVG_ID_REFERENCE = Pattern.compile("(\\bid=\"|url\\(#|href=\"#)");

    private final String html;

    private HtmlReport(String html) {
        this.html = html;
    }

    /** Starts a page with this title (the {@code <title>} and the {@code <h1>}). */
    public static Builder builder(String title) {
        return new Builder(Objects.requireNonNull(title, "title"));
    }

    /** The whole page. */
    public String html() {
        return html;
    }

    /** Writes the page as UTF-8, creating the parent directory if needed. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, html, StandardCharsets.UTF_8);
    }

    /** Appends the parts of the page in the order given. Not thread-safe. */
    public static final class Builder {
        private final String title;
        private final StringBuilder body = new StringBuilder();
        private int figures;

        private Builder(String title) {
            this.title = title;
        }

        /** A section heading ({@code <h2>}). */
        public Builder heading(String text) {
            body.append("<h2>").append(escape(text, "heading")).append("</h2>\n");
            return this;
        }

        /** A paragraph of text. */
        public Builder paragraph(String text) {
            body.append("<p>").append(escape(text, "paragraph")).append("</p>\n");
            return this;
        }

        /** Text shown as is, in a fixed-width font: command lines, logs, text reports. */
        public Builder preformatted(String text) {
            body.append("<pre>").append(escape(text, "preformatted text")).append("</pre>\n");
            return this;
        }

        /**
         * A table with a header row; every row must have as many cells as the header.
         *
         * @throws IllegalArgumentException if the header is empty or a row has a different number of cells
         */
        public Builder table(List<String> header, List<List<String>> rows) {
            Objects.requireNonNull(header, "table header");
            Objects.requireNonNull(rows, "table rows");
            if (header.isEmpty()) {
                throw new IllegalArgumentException("a table needs at least one column in its header");
            }
            StringBuilder t = new StringBuilder("<table>\n<thead><tr>");
            for (String h : header) {
                t.append("<th>").append(escape(h, "table header cell")).append("</th>");
            }
            t.append("</tr></thead>\n<tbody>\n");
            for (int r = 0; r < rows.size(); r++) {
                List<String> row = Objects.requireNonNull(rows.get(r), "table row " + r);
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("table row " + r + " has " + row.size() + " cells but the header has "
                            + header.size() + " columns");
                }
                t.append("<tr>");
                for (String cell : row) {
                    t.append("<td>").append(escape(cell, "table cell")).append("</td>");
                }
                t.append("</tr>\n");
            }
            body.append(t).append("</tbody>\n</table>\n");
            return this;
        }

        /** The chart, inlined as SVG (rendered now), with a caption below it (may be empty). */
        public Builder figure(Chart chart, String caption) {
            Objects.requireNonNull(chart, "chart");
            String text = escape(caption, "caption");
            figures++;
            body.append("<figure>\n").append(prefixIds(chart.svg(), "fig" + figures + "-")).append('\n');
            if (!text.isEmpty()) {
                body.append("<figcaption>").append(text).append("</figcaption>\n");
            }
            body.append("</figure>\n");
            return this;
        }

        /** The finished page. The builder can go on and build again. */
        public HtmlReport build() {
            String t = Markup.escape(title);
            return new HtmlReport("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    + "<title>" + t + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n"
                    + "<h1>" + t + "</h1>\n" + body + "</body>\n</html>\n");
        }

        private static String escape(String text, String what) {
            return Markup.escape(Objects.requireNonNull(text, what));
        }

        /** Prefixes every {@code id="x"}, {@code url(#x)} and {@code href="#x"} so ids stay unique on the page. */
        static String prefixIds(String svg, String prefix) {
            Matcher m = SVG_ID_REFERENCE.matcher(svg);
            StringBuilder out = new StringBuilder(svg.length() + 64);
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + prefix));
            }
            m.appendTail(out);
            return out.toString();
        }
    }
}
