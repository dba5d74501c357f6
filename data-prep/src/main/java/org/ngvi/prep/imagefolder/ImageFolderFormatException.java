package org.ngvi.prep.imagefolder;

import java.io.IOException;

/**
 * An image-folder tree that cannot be prepared: a missing {@code train/} folder, a class folder
 * without images, image files outside class folders, a flat {@code val/} without a labels file,
 * or a labels file line that is malformed, names an unknown class or a missing image. The
 * message names the folder or file (and line) and what was expected versus found. (A single
 * image that cannot be decoded is not an error: it is skipped and listed in the manifest.)
 */
public class ImageFolderFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;

    /**
     * @param source  the folder or file the problem is in
     * @param message what is wrong; the source is prepended
     */
    public ImageFolderFormatException(String source, String message) {
        super("image folder input " + source + ": " + message);
        this.source = source;
    }

    /** The folder or file the problem is in. */
    public String source() {
        return source;
    }
}
