package org.ngvi.prep.cifar;

import java.util.Locale;

/**
 * Which label of a CIFAR-100 record becomes the {@code label} column: the fine label (100
 * classes, the usual CIFAR-100 task) or the coarse superclass label (20 classes). CIFAR-10
 * records have one label, which counts as {@link #FINE}.
 */
public enum CifarLabel {
    /** The fine label: CIFAR-100's second byte (0..99), CIFAR-10's only byte (0..9). */
    FINE,
    /** CIFAR-100's superclass, the first byte of a record (0..19). */
    COARSE;

    /** {@code fine} or {@code coarse}, as on the command line. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code fine} or {@code coarse} (case-insensitive).
     *
     * @throws IllegalArgumentException anything else
     */
    public static CifarLabel parse(String s) {
        for (CifarLabel l : values()) {
            if (l.flag().equalsIgnoreCase(s)) {
                return l;
            }
        }
        throw new IllegalArgumentException("--labels must be fine or coarse, found '" + s + "'");
    }
}
