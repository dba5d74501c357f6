package org.ngvi.prep.cifar;

import java.io.IOException;

/**
 * A CIFAR input that cannot be read as expected: a missing file, a length that is not a whole
 * number of records, a label out of range, a class-names file with the wrong number of names,
 * or a directory holding neither (or both) of the CIFAR-10 and CIFAR-100 layouts. The message
 * names the file or directory and what was expected versus found.
 */
public class CifarFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;

    /**
     * @param source  the file or directory the problem is in
     * @param message what is wrong; the source is prepended
     */
    public CifarFormatException(String source, String message) {
        super("CIFAR input " + source + ": " + message);
        this.source = source;
    }

    /** The file or directory the problem is in. */
    public String source() {
        return source;
    }
}
