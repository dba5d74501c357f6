package org.ngvi.spark.plot;

/** Puts AWT into headless mode (no display needed) unless the property was set explicitly. */
final class Headless {
    private Headless() {
    }

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
