package org.rnn4j.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/** Checks on written chart files shared by the chart tests. */
final class ChartFiles {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private ChartFiles() {
    }

    /** Asserts that {@code file} is a PNG of the given size and returns the image. */
    static BufferedImage assertPng(Path file, int width, int height) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), "PNG signature of " + file);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "ImageIO cannot read " + file);
        assertEquals(width, image.getWidth(), "width of " + file);
        assertEquals(height, image.getHeight(), "height of " + file);
        return image;
    }

    /**
     * Parses SVG text as XML with DOCTYPEs refused (so a parser never fetches a DTD from the net)
     * and asserts that the root element is an SVG of the given size.
     */
    static Document parseSvg(String svg, int width, int height) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        Document doc = builder.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
        assertEquals("0 0 " + width + " " + height, doc.getDocumentElement().getAttribute("viewBox"));
        return doc;
    }

    /** The text of the root's {@code <title>} and {@code <desc>}, joined by a newline. */
    static String titleAndDescription(Document svg) {
        return svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent() + "\n"
                + svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "desc").item(0).getTextContent();
    }
}
