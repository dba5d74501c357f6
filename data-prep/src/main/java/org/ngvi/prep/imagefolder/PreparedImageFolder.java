package org.ngvi.prep.imagefolder;

import java.util.List;

/**
 * What {@link PrepareImageFolderJob} wrote.
 *
 * @param classNames class folder names of {@code train/}, index = label
 * @param store      what the {@code image} column holds
 * @param train      {@code out/train}
 * @param val        {@code out/val}, or {@code null} when the input has no {@code val/}
 */
public record PreparedImageFolder(List<String> classNames, ImageStore store, PreparedSplit train, PreparedSplit val) {
}
