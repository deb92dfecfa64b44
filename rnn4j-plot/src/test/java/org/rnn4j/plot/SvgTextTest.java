package org.rnn4j.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SvgTextTest {
    @Test
    void roundsToHundredthsWithoutExponentOrTrailingZeros() {
        assertEquals("12.35", SvgText.round2("12.3456"));
        assertEquals("3.1", SvgText.round2("3.1000001"));
        assertEquals("0.05", SvgText.round2("0.0499"));
        assertEquals("-7", SvgText.round2("-6.9999"));
        assertEquals("-0.5", SvgText.round2("-0.504"));
        assertEquals("0", SvgText.round2("-0.001"));
        assertEquals("1000000.01", SvgText.round2("1000000.0050001"));
    }

    @Test
    void roundsOnlyLongDecimals() {
        assertEquals("<path d=\"M-9.13,-1.02 L0.5,12 Z\" style=\"fill:rgb(31,119,180)\" id=\"clip9082351\"/>",
                SvgText.roundDecimals("<path d=\"M-9.125000001,-1.015625 L0.5,12 Z\" style=\"fill:rgb(31,119,180)\" id=\"clip9082351\"/>"));
    }

    @Test
    void finishDropsThePrologAndAddsEscapedTitleAndDescription() {
        String raw = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/x.dtd\">\n"
                + "<svg width=\"10px\"><rect x=\"0.123456\"/></svg>";
        assertEquals("<svg width=\"10px\">\n  <title>a &lt;b&gt;</title>\n  <desc>c &amp; d</desc><rect x=\"0.12\"/></svg>",
                SvgText.finish(raw, "a <b>", "c & d"));
        assertThrows(IllegalStateException.class, () -> SvgText.finish("<html/>", "t", "d"));
    }
}
