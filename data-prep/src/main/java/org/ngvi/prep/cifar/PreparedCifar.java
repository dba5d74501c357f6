package org.ngvi.prep.cifar;

import org.ngvi.data.DatasetManifest;

/**
 * What {@link PrepareCifarJob} wrote: the layout it detected and the manifests of
 * {@code out/train} and {@code out/test}.
 *
 * @param format the detected layout
 * @param label  the label used for the {@code label} column
 * @param train  manifest of {@code out/train}
 * @param test   manifest of {@code out/test}
 */
public record PreparedCifar(CifarFormat format, CifarLabel label, DatasetManifest train, DatasetManifest test) {
}
