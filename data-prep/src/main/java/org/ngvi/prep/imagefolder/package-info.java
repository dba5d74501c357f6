/**
 * ImageNet-style image folders ({@code train/<class>/*.JPEG}, {@code val/} as class folders or
 * flat with a labels file) → the Parquet layout of {@link org.ngvi.data.ImageSchema}:
 * {@link org.ngvi.prep.imagefolder.PrepareImageFolderJob} lists the tree on the driver
 * ({@link org.ngvi.prep.imagefolder.FolderListing}, {@link org.ngvi.prep.imagefolder.ValLabels}),
 * and Spark tasks decode ({@link org.ngvi.prep.imagefolder.ImageDecoder}), resize and centre-crop
 * ({@link org.ngvi.prep.imagefolder.ResizeCrop}) the images, storing raw RGB pixels or re-encoded
 * bytes ({@link org.ngvi.prep.imagefolder.ImageStore}). Undecodable images are skipped and listed
 * in the manifest ({@link org.ngvi.prep.imagefolder.ImageFolderManifest}), never fatal.
 */
package org.ngvi.prep.imagefolder;
