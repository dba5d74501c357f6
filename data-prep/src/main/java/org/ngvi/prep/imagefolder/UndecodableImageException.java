package org.ngvi.prep.imagefolder;

/**
 * An image file whose bytes cannot be decoded: not an image format ImageIO reads, truncated,
 * corrupt, or too large. The job skips such a file and records the message as its
 * {@code reason} in the manifest's {@code skipped} list; it is never fatal.
 */
public class UndecodableImageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason what is wrong with the bytes, without the file name */
    public UndecodableImageException(String reason) {
        super(reason);
    }

    /** @param reason what is wrong; {@code cause} is the decoder's exception */
    public UndecodableImageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
