package org.ngvi.prep.imagefolder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code _manifest.json} of an image-folder split: every {@link org.ngvi.data.DatasetManifest}
 * key (which readers such as the trainer parse; they ignore the rest), then
 * <pre>
 * "store": "pixels" | "encoded",      what the image column holds ({@link ImageStore})
 * "resize": 256, "crop": 224,         the transform ({@link ResizeCrop})
 * "listed_files": N,                  images listed (rows + skipped)
 * "listing_digest": "&lt;64 hex&gt;",       see below
 * "skipped": [{"path", "reason"}]     undecodable images left out (empty when none)
 * </pre>
 *
 * <p><b>Listing digest.</b> A large tree is identified by one digest instead of a
 * {@code sources} entry per file: the SHA-256 of the UTF-8 text with one line per listed image
 * in row order, {@code <path relative to IN>\t<size in bytes>\t<SHA-256 of the file's bytes, hex>\n}
 * (e.g. {@code train/n01440764/n01440764_10026.JPEG\t13697\t9c1b…\n}). It depends on the
 * names, order and contents of the images only: not on timestamps, the location of {@code IN}
 * or the partitioning, so a copied tree has the same digest. The per-file hashes are computed by
 * the tasks that decode the files (which read every byte anyway), not by the driver. The
 * manifest's {@code sources} holds the split folder with this digest as its {@code sha256}
 * (so the manifest digest recorded in model provenance covers the listing), plus the labels file
 * of a flat {@code val/} with the SHA-256 of its bytes.
 */
public final class ImageFolderManifest {
    /** Key: {@code "pixels"} or {@code "encoded"}. */
    public static final String STORE = "store";
    /** Key: the {@code --resize} used. */
    public static final String RESIZE = "resize";
    /** Key: the {@code --crop} used. */
    public static final String CROP = "crop";
    /** Key: images listed, written or skipped. */
    public static final String LISTED_FILES = "listed_files";
    /** Key: the listing digest. */
    public static final String LISTING_DIGEST = "listing_digest";
    /** Key: {@code [{"path", "reason"}]} of skipped images. */
    public static final String SKIPPED = "skipped";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageFolderManifest() {
    }

    /** The pretty-printed JSON written as {@code _manifest.json}. */
    public static String toPrettyJson(PreparedSplit split, ImageStore store, ResizeCrop transform) {
        ObjectNode n = split.manifest().toJson();
        n.put(STORE, store.flag());
        n.put(RESIZE, transform.resize());
        n.put(CROP, transform.crop());
        n.put(LISTED_FILES, split.listedFiles());
        n.put(LISTING_DIGEST, split.listingDigest());
        ArrayNode s = n.putArray(SKIPPED);
        for (SkippedImage k : split.skipped()) {
            s.addObject().put("path", k.path()).put("reason", k.reason());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
