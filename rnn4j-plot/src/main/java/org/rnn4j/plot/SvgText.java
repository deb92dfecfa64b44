package org.rnn4j.plot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Post-processing of the SVG that VectorGraphics2D writes for an XChart chart: drop the prolog,
 * round coordinates, add a title and a description.
 *
 * <p>XChart draws every piece of text as glyph outlines, and VectorGraphics2D writes their
 * coordinates with up to 16 digits; rounding them to hundredths of a pixel halves the file and
 * changes nothing visible.
 */
final class SvgText {
    private static final Pattern LONG_DECIMAL = Pattern.compile("-?\\d+\\.\\d{3,}");
    private static final Pattern SVG_START = Pattern.compile("<svg[\\s>]");

    private SvgText() {
    }

    /**
     * Turns the raw document into the form {@link Chart#svg()} promises: starts at {@code <svg},
     * coordinates rounded, {@code <title>} and {@code <desc>} first inside the root element.
     */
    static String finish(String raw, String title, String description) {
        Matcher start = SVG_START.matcher(raw);
        if (!start.find()) {
            throw new IllegalStateException("the SVG renderer wrote no <svg> element");
        }
        String svg = roundDecimals(raw.substring(start.start()));
        int rootEnd = svg.indexOf('>') + 1;
        return svg.substring(0, rootEnd)
                + "\n  <title>" + Markup.escape(title) + "</title>"
                + "\n  <desc>" + Markup.escape(description) + "</desc>"
                + svg.substring(rootEnd);
    }

    /**
     * Rounds every decimal number with three or more fraction digits to two. Applied before any text
     * content is added: the renderer's output has only numbers in tags (no text), so nothing else changes.
     */
    static String roundDecimals(String svg) {
        Matcher m = LONG_DECIMAL.matcher(svg);
        StringBuilder out = new StringBuilder(svg.length() / 2);
        while (m.find()) {
            m.appendReplacement(out, round2(m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code "12.3456" -> "12.35"}, {@code "-0.001" -> "0"}, {@code "3.1000001" -> "3.1"}: no exponent, no trailing zeros. */
    static String round2(String decimal) {
        long hundredths = Math.round(Double.parseDouble(decimal) * 100.0);
        String sign = hundredths < 0 ? "-" : "";
        long abs = Math.abs(hundredths);
        long whole = abs / 100;
        long frac = abs % 100;
        if (frac == 0) {
            return sign + whole;
        }
        String digits = frac < 10 ? "0" + frac : (frac % 10 == 0 ? String.valueOf(frac / 10) : String.valueOf(frac));
        return sign + whole + "." + digits;
    }
}
