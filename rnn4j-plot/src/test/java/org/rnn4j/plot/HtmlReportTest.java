package org.rnn4j.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    /** Anything that makes a browser fetch: src/href to another place, CSS url() or @import, scripts, links. */
    private static final Pattern EXTERNAL = Pattern.compile(
            "(?i)(?:\\b(?:src|href)\\s*=\\s*[\"']?\\s*(?!#|data:)[^\"'\\s>]+)|url\\(\\s*[\"']?\\s*(?!#|data:)|@import|<script|<link|<iframe|<img");

    private static Chart line;
    private static Chart bars;

    @TempDir
    Path dir;

    @BeforeAll
    static void charts() {
        line = LineChart.builder("loss").series("train", new double[] {1, 2, 3}, new double[] {3, 2, 1}).build();
        bars = BarChart.builder("rho").categories(List.of("layer 0")).series("i", new double[] {0.9}).build();
    }

    @Test
    void escapesTextAndKeepsTableCellsAndFigures() throws Exception {
        HtmlReport report = HtmlReport.builder("Report <1> & co")
                .heading("Gradients <h>")
                .paragraph("a < b && c > d, see http://example.org/paper")
                .preformatted("if (x < 3) {\n    y &= 1;\n}")
                .table(List.of("gate", "spectral radius"), List.of(List.of("i", "0.91"), List.of("<f>", "1.02 & more")))
                .figure(line, "Figure 1. Loss <train>.")
                .figure(bars, "")
                .build();
        String html = report.html();

        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>Report &lt;1&gt; &amp; co</title>"));
        assertTrue(html.contains("<h2>Gradients &lt;h&gt;</h2>"));
        assertTrue(html.contains("<p>a &lt; b &amp;&amp; c &gt; d, see http://example.org/paper</p>"));
        assertTrue(html.contains("<pre>if (x &lt; 3) {\n    y &amp;= 1;\n}</pre>"));
        for (String cell : List.of("<th>gate</th>", "<th>spectral radius</th>", "<td>i</td>", "<td>0.91</td>",
                "<td>&lt;f&gt;</td>", "<td>1.02 &amp; more</td>")) {
            assertTrue(html.contains(cell), "the table has " + cell);
        }
        assertTrue(html.contains("<figcaption>Figure 1. Loss &lt;train&gt;.</figcaption>"));
        assertTrue(html.contains(HtmlReport.Builder.prefixIds(line.svg(), "fig1-")), "figure 1 is the line chart's SVG");
        assertTrue(html.contains(HtmlReport.Builder.prefixIds(bars.svg(), "fig2-")), "figure 2 is the bar chart's SVG");
        assertFalse(html.contains("<?xml") || html.contains("<!DOCTYPE svg"), "inlined SVG has no prolog");

        Path file = dir.resolve("out/report.html");
        report.write(file);
        assertEquals(html, Files.readString(file));
    }

    @Test
    void loadsNothingFromOutside() {
        String html = HtmlReport.builder("r").paragraph("https://example.org is text").figure(line, "x").figure(bars, "y").build().html();
        Matcher m = EXTERNAL.matcher(html);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group());
        }
        assertEquals(List.of(), found, "references that a browser would fetch");
        assertTrue(EXTERNAL.matcher("<img src=\"http://x/a.png\">").find(), "the pattern finds an external image");
        assertTrue(EXTERNAL.matcher("<link rel=stylesheet href=style.css>").find(), "the pattern finds a style sheet");
    }

    @Test
    void elementIdsAreUniqueWhenTheSameChartIsShownTwice() {
        String html = HtmlReport.builder("r").figure(line, "a").figure(line, "b").build().html();
        Matcher ids = Pattern.compile("\\bid=\"([^\"]*)\"").matcher(html);
        Set<String> seen = new HashSet<>();
        int count = 0;
        while (ids.find()) {
            count++;
            assertTrue(seen.add(ids.group(1)), "id " + ids.group(1) + " appears twice");
        }
        assertTrue(count >= 2, "each figure defines its clip path");
        Matcher refs = Pattern.compile("url\\(#([^)]*)\\)").matcher(html);
        while (refs.find()) {
            assertTrue(seen.contains(refs.group(1)), "url(#" + refs.group(1) + ") refers to an id on the page");
        }
    }

    @Test
    void tableRowsMustMatchTheHeader() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HtmlReport.builder("r")
                .table(List.of("a", "b"), List.of(List.of("1", "2"), List.of("3"))));
        assertEquals("table row 1 has 1 cells but the header has 2 columns", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HtmlReport.builder("r").table(List.of(), List.of()));
    }
}
