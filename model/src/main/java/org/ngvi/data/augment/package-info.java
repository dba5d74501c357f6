/**
 * Training-time data augmentation on uint8 HWC images, before {@link org.ngvi.data.PixelNormalization}:
 * the torchvision transforms the reference training scripts use, reimplemented without Spark or ND4J.
 *
 * <ul>
 *   <li>{@link org.ngvi.data.augment.RandomCrop} — {@code RandomCrop(size, padding=p)}: zero-pad by p and
 *       cut a window of the stored size at an offset uniform on {@code {0..2p}²};</li>
 *   <li>{@link org.ngvi.data.augment.HorizontalFlip} — {@code RandomHorizontalFlip(0.5)};</li>
 *   <li>{@link org.ngvi.data.augment.RandomResizedCrop} — {@code RandomResizedCrop(size, scale, ratio)} with
 *       torchvision's window sampling (10 attempts, then a centre-crop fallback) and bilinear resampling back
 *       to the stored size;</li>
 *   <li>{@link org.ngvi.data.augment.AugmentationSpec} — which pipeline ({@code none}, {@code flip},
 *       {@code cifar}, {@code imagenet}) with its parameters, immutable and serialisable;</li>
 *   <li>{@link org.ngvi.data.augment.Augmenter} — one worker's pipeline with its scratch buffers:
 *       {@code apply(image, seed)} allocates nothing;</li>
 *   <li>{@link org.ngvi.data.augment.AugmentationRandom} — a re-seedable SplitMix64 generator and the seed
 *       derivation (run seed, epoch, partition, position) that makes every augmented batch reproducible.</li>
 * </ul>
 * Evaluation never augments: only the trainer's batch assembly calls an {@code Augmenter}.
 */
package org.ngvi.data.augment;
