package org.ngvi.data.augment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which augmentation a training run applies to every example it reads, and its parameters (the
 * training config's {@code augmentation} and {@code augmentation_args.*}). Pipelines, in order:
 * <ul>
 *   <li>{@link Kind#NONE} — the stored pixels;</li>
 *   <li>{@link Kind#FLIP} — {@link HorizontalFlip} with p = ½;</li>
 *   <li>{@link Kind#CIFAR} — {@link RandomCrop} with zero padding {@code padding} (default 4), then
 *       {@link HorizontalFlip} p = ½: the reference's {@code RandomCrop(32, padding=4),
 *       RandomHorizontalFlip()};</li>
 *   <li>{@link Kind#IMAGENET} — {@link RandomResizedCrop} to the stored size with area fraction in
 *       {@code [scaleMin, scaleMax]} (default [0.08, 1]) and aspect ratio in {@code [ratioMin, ratioMax]}
 *       (default [3/4, 4/3]), then {@link HorizontalFlip} p = ½.</li>
 * </ul>
 * Parameters a pipeline does not use hold their defaults. Immutable and serialisable (it travels
 * to the executors inside the broadcast run setup).
 *
 * @param kind     the pipeline
 * @param padding  zero padding of {@link Kind#CIFAR}'s crop, ≥ 0
 * @param scaleMin smallest area fraction of {@link Kind#IMAGENET}'s window, in (0, scaleMax]
 * @param scaleMax largest area fraction, in [scaleMin, 1]
 * @param ratioMin smallest aspect ratio w/h, in (0, ratioMax]
 * @param ratioMax largest aspect ratio w/h, finite
 */
public record AugmentationSpec(Kind kind, int padding, double scaleMin, double scaleMax, double ratioMin, double ratioMax)
        implements Serializable {
    /** Default zero padding of the CIFAR crop. */
    public static final int DEFAULT_PADDING = 4;

    /** The pipelines, with their config names. */
    public enum Kind {
        NONE, FLIP, CIFAR, IMAGENET;

        /** The config name: {@code none}, {@code flip}, {@code cifar}, {@code imagenet}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The kind of a config name.
         *
         * @throws IllegalArgumentException an unknown name, listing the known ones
         */
        public static Kind of(String name) {
            for (Kind k : values()) {
                if (k.configName().equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown augmentation \"" + name + "\", expected one of none, flip, cifar, imagenet");
        }
    }

    /**
     * @throws IllegalArgumentException a parameter outside its range
     */
    public AugmentationSpec {
        if (kind == null) {
            throw new IllegalArgumentException("augmentation kind is required");
        }
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be ≥ 0, got " + padding);
        }
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("scale must satisfy 0 < min ≤ max ≤ 1, got [" + scaleMin + ", " + scaleMax + "]");
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax && Double.isFinite(ratioMax))) {
            throw new IllegalArgumentException("ratio must satisfy 0 < min ≤ max < ∞, got [" + ratioMin + ", " + ratioMax + "]");
        }
    }

    /** No augmentation. */
    public static AugmentationSpec none() {
        return of(Kind.NONE);
    }

    /** Horizontal flips only. */
    public static AugmentationSpec flip() {
        return of(Kind.FLIP);
    }

    /** Zero-padded random crop plus horizontal flip. */
    public static AugmentationSpec cifar(int padding) {
        return new AugmentationSpec(Kind.CIFAR, padding, RandomResizedCrop.DEFAULT_SCALE[0], RandomResizedCrop.DEFAULT_SCALE[1],
                RandomResizedCrop.DEFAULT_RATIO[0], RandomResizedCrop.DEFAULT_RATIO[1]);
    }

    /** Random resized crop to the stored size plus horizontal flip. */
    public static AugmentationSpec imagenet(double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        return new AugmentationSpec(Kind.IMAGENET, DEFAULT_PADDING, scaleMin, scaleMax, ratioMin, ratioMax);
    }

    /** {@code kind} with default parameters. */
    public static AugmentationSpec of(Kind kind) {
        return new AugmentationSpec(kind, DEFAULT_PADDING, RandomResizedCrop.DEFAULT_SCALE[0], RandomResizedCrop.DEFAULT_SCALE[1],
                RandomResizedCrop.DEFAULT_RATIO[0], RandomResizedCrop.DEFAULT_RATIO[1]);
    }

    /** True for {@link Kind#NONE}. */
    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** This pipeline for images of {@code shape}, in application order (empty for {@link Kind#NONE}). */
    public ImageTransform[] transforms(ImageShape shape) {
        return switch (kind) {
            case NONE -> new ImageTransform[0];
            case FLIP -> new ImageTransform[] {new HorizontalFlip(shape, HorizontalFlip.DEFAULT_PROBABILITY)};
            case CIFAR -> new ImageTransform[] {new RandomCrop(shape, padding),
                    new HorizontalFlip(shape, HorizontalFlip.DEFAULT_PROBABILITY)};
            case IMAGENET -> new ImageTransform[] {new RandomResizedCrop(shape, scaleMin, scaleMax, ratioMin, ratioMax),
                    new HorizontalFlip(shape, HorizontalFlip.DEFAULT_PROBABILITY)};
        };
    }

    /**
     * The parameters that take effect, for provenance: {@code {"name": "cifar", "padding": 4,
     * "flip_probability": 0.5}}, {@code {"name": "imagenet", "scale": [..], "ratio": [..],
     * "flip_probability": 0.5}}, {@code {"name": "flip", "flip_probability": 0.5}} or {@code {"name": "none"}}.
     */
    public ObjectNode toJson() {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("name", kind.configName());
        if (kind == Kind.CIFAR) {
            n.put("padding", padding);
        }
        if (kind == Kind.IMAGENET) {
            n.putArray("scale").add(scaleMin).add(scaleMax);
            n.putArray("ratio").add(ratioMin).add(ratioMax);
            n.put("max_attempts", RandomResizedCrop.MAX_ATTEMPTS);
            n.put("interpolation", "bilinear");
        }
        if (kind != Kind.NONE) {
            n.put("flip_probability", HorizontalFlip.DEFAULT_PROBABILITY);
        }
        return n;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE, FLIP -> kind.configName();
            case CIFAR -> "cifar(padding=" + padding + ")";
            case IMAGENET -> "imagenet(scale=" + Arrays.toString(new double[] {scaleMin, scaleMax}) + ", ratio="
                    + Arrays.toString(new double[] {ratioMin, ratioMax}) + ")";
        };
    }
}
