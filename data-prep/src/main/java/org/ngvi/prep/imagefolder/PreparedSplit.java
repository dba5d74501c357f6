package org.ngvi.prep.imagefolder;

import java.util.List;
import org.ngvi.data.DatasetManifest;

/**
 * What {@link PrepareImageFolderJob} wrote for one split: its manifest and the keys its
 * {@code _manifest.json} holds beyond {@link DatasetManifest} ({@link ImageFolderManifest}).
 *
 * @param manifest      the dataset manifest ({@code rows} counts written images only)
 * @param listedFiles   images listed, written or skipped
 * @param listingDigest SHA-256 over the listing with file contents (see {@link ImageFolderManifest})
 * @param skipped       undecodable images left out, in index order
 */
public record PreparedSplit(DatasetManifest manifest, int listedFiles, String listingDigest, List<SkippedImage> skipped) {
    public PreparedSplit {
        skipped = List.copyOf(skipped);
    }
}
