package org.ngvi.prep.imagefolder;

/**
 * An image file that could not be decoded and was left out, as listed in the manifest's
 * {@code skipped}.
 *
 * @param path   the file (qualified, as the job read it)
 * @param reason why it could not be decoded ({@link UndecodableImageException#getMessage()})
 */
public record SkippedImage(String path, String reason) implements java.io.Serializable {
}
