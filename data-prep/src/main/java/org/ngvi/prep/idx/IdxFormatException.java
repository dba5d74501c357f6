package org.ngvi.prep.idx;

import java.io.IOException;

/**
 * An IDX file that cannot be read as expected: wrong magic number, truncated data, trailing
 * bytes, unreadable gzip, or image and label files that do not match. The message always
 * names the file(s) and what was expected versus found.
 */
public class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;

    /**
     * @param source  the file the problem is in (for a mismatch between two files, the first)
     * @param message what is wrong; the file name is prepended
     */
    public IdxFormatException(String source, String message) {
        super("IDX file " + source + ": " + message);
        this.source = source;
    }

    /** As {@link #IdxFormatException(String, String)} with a cause. */
    public IdxFormatException(String source, String message, Throwable cause) {
        super("IDX file " + source + ": " + message, cause);
        this.source = source;
    }

    /** The file the problem is in. */
    public String source() {
        return source;
    }
}
