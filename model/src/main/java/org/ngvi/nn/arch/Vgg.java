package org.ngvi.nn.arch;

import static org.ngvi.nn.arch.LayerJson.bn2d;
import static org.ngvi.nn.arch.LayerJson.conv;
import static org.ngvi.nn.arch.LayerJson.linear;
import static org.ngvi.nn.arch.LayerJson.maxpool;
import static org.ngvi.nn.arch.LayerJson.relu;

import org.ngvi.nn.NetworkSpec;

/**
 * VGG (Simonyan &amp; Zisserman 2015) in its CIFAR form (the reference's {@code models/vgg.py},
 * after kuangliu/pytorch-cifar): a stack of 3×3 convolutions, padding 1, each followed by
 * BatchNorm and ReLU, with 2×2 max pools (M), then one linear classifier:
 * <pre>
 *   VGG-11: 64 M 128 M 256 256 M 512 512 M 512 512 M
 *   VGG-13: 64 64 M 128 128 M 256 256 M 512 512 M 512 512 M
 *   VGG-16: 64 64 M 128 128 M 256 256 256 M 512 512 512 M 512 512 512 M
 *   VGG-19: 64 64 M 128 128 M 256 256 256 256 M 512 512 512 512 M 512 512 512 512 M
 *   each number n: conv2d in→n k3×3 s1 p1 (bias) · batchnorm2d n · relu;   M: maxpool2d k2 s2
 *   then flatten (512·h·w; 512 for 32×32 inputs) · linear 512·h·w→K
 * </pre>
 * (the reference's trailing {@code AvgPool2d(1, 1)} is the identity and is left out). Without
 * BatchNorm ({@code batchNorm = false}) each conv is followed by relu only. For 32×32×3 and 10
 * classes: VGG-16 14,728,266 parameters, VGG-19 20,040,522 (with BatchNorm).
 */
public final class Vgg {
    private static final int M = 0;

    private Vgg() {
    }

    /** The conv widths (0 = max pool) of VGG-{@code depth}, depth ∈ {11, 13, 16, 19}. */
    static int[] config(int depth) {
        return switch (depth) {
            case 11 -> new int[] {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
            case 13 -> new int[] {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
            case 16 -> new int[] {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
            case 19 -> new int[] {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M};
            default -> throw new IllegalArgumentException("VGG depth must be 11, 13, 16 or 19, got " + depth);
        };
    }

    public static NetworkSpec spec(int depth, boolean batchNorm, long[] chw, int classes) {
        SpecBuilder b = new SpecBuilder("vgg" + depth, chw);
        int in = b.channels();
        for (int w : config(depth)) {
            if (w == M) {
                b.add(maxpool(2, 2));
            } else {
                b.add(conv(in, w, 3, 1, 1, true));
                if (batchNorm) {
                    b.add(bn2d(w));
                }
                b.add(relu());
                in = w;
            }
        }
        b.flatten();
        b.add(linear(b.size(), classes));
        return b.build();
    }
}
