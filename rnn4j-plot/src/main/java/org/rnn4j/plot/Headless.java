package org.rnn4j.plot;

/**
 * Makes AWT run without a display. The chart classes call {@link #ensure()} in their static
 * initialisers, before any XChart or AWT class is touched, so that drawing works on servers and in CI.
 */
final class Headless {
    static final String PROPERTY = "java.awt.headless";

    private Headless() {
    }

    /**
     * Sets {@code java.awt.headless=true} unless the property was given: an explicit {@code false}
     * (a desktop application that shows windows) is respected.
     */
    static void ensure() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }
}
