package org.ngvi.prep.imagefolder;

import java.util.Locale;

/** What the {@code image} column holds ({@code --store}). */
public enum ImageStore {
    /** Raw HWC uint8 pixels, {@code crop·crop·3} bytes: the {@link org.ngvi.data.ImageSchema} layout the trainer reads. */
    PIXELS("pixels"),
    /**
     * The cropped image re-encoded as JPEG or PNG ({@link ImageEncoder}), with an extra string
     * column {@value PrepareImageFolderJob#FORMAT_COLUMN}; several times smaller than pixels (3.3× on the benchmark's noisy
     * synthetic JPEGs, more on photos). The trainer
     * does not read it (it needs raw pixels) and rejects such a dataset with an error.
     */
    ENCODED("encoded");

    private final String flag;

    ImageStore(String flag) {
        this.flag = flag;
    }

    /** The {@code --store} value, also the manifest's {@code store}. */
    public String flag() {
        return flag;
    }

    /** Parses {@code pixels} or {@code encoded} (any case). */
    public static ImageStore parse(String s) {
        for (ImageStore v : values()) {
            if (v.flag.equals(s.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("--store must be pixels or encoded, found '" + s + "'");
    }
}
