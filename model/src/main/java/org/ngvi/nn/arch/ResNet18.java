package org.ngvi.nn.arch;

import static org.ngvi.nn.arch.LayerJson.array;
import static org.ngvi.nn.arch.LayerJson.bn2d;
import static org.ngvi.nn.arch.LayerJson.conv;
import static org.ngvi.nn.arch.LayerJson.globalAvgPool;
import static org.ngvi.nn.arch.LayerJson.linear;
import static org.ngvi.nn.arch.LayerJson.maxpool;
import static org.ngvi.nn.arch.LayerJson.relu;
import static org.ngvi.nn.arch.LayerJson.residual;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Locale;
import org.ngvi.nn.NetworkSpec;

/**
 * ResNet-18 (He et al. 2016) built from {@code residual} blocks (torchvision's
 * {@code BasicBlock}, {@link org.ngvi.nn.ResidualBlock}), for a {@code [C, H, W]} input and K classes:
 * <pre>
 *   stem, CIFAR form:    conv2d C→64 k3×3 s1 p1 (no bias) · batchnorm2d 64 · relu
 *   stem, ImageNet form: conv2d C→64 k7×7 s2 p3 (no bias) · batchnorm2d 64 · relu · maxpool2d k3 s2
 *   stage 1: block(64→64, s1)   · block(64→64, s1)
 *   stage 2: block(64→128, s2)  · block(128→128, s1)
 *   stage 3: block(128→256, s2) · block(256→256, s1)
 *   stage 4: block(256→512, s2) · block(512→512, s1)
 *   global_avgpool2d · linear 512→K
 *
 *   block(a→b, s) = residual { body:     conv2d a→b k3×3 s p1 (no bias) · batchnorm2d b · relu
 *                                        · conv2d b→b k3×3 s1 p1 (no bias) · batchnorm2d b,
 *                              shortcut: identity when s = 1 and a = b, else
 *                                        conv2d a→b k1×1 s p0 (no bias) · batchnorm2d b }
 *                   output relu(body + shortcut)
 * </pre>
 * The CIFAR form is the reference's {@code models/resnet.py} (kuangliu/pytorch-cifar; its final
 * 4×4 average pool is the global average pool for 32×32 inputs); the ImageNet form is
 * torchvision's {@code resnet18}, except that the stem's max pool has no padding (the
 * {@code maxpool2d} layer is floor mode without padding): at 224×224 stage 1 runs at 55×55
 * instead of 56×56, and from stage 2 on the sizes (28, 14, 7) and all parameters are
 * torchvision's. Deviation from the reference: its blocks' inner BatchNorms use
 * {@code track_running_stats=False} (batch statistics even at test time); here every BatchNorm
 * keeps running statistics, as torchvision. Parameters: CIFAR form, 10 classes 11,173,962;
 * ImageNet form, 1000 classes 11,689,512 (torchvision's count).
 */
public final class ResNet18 {
    /** The stem variant. */
    public enum Stem {
        /** 3×3 stride-1 convolution, no pooling: for 32×32 inputs (CIFAR). */
        CIFAR,
        /** 7×7 stride-2 convolution and 3×3 stride-2 max pool: for 224×224 inputs (ImageNet). */
        IMAGENET;

        /** The stem {@code auto} picks: ImageNet form when both H and W are at least 112, else CIFAR form. */
        public static Stem forInput(long[] chw) {
            return chw[1] >= 112 && chw[2] >= 112 ? IMAGENET : CIFAR;
        }

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int[] WIDTHS = {64, 128, 256, 512};

    private ResNet18() {
    }

    public static NetworkSpec spec(Stem stem, long[] chw, int classes) {
        SpecBuilder b = new SpecBuilder("resnet18 (" + stem.jsonName() + " stem)", chw);
        if (stem == Stem.CIFAR) {
            b.add(conv(b.channels(), 64, 3, 1, 1, false)).add(bn2d(64)).add(relu());
        } else {
            b.add(conv(b.channels(), 64, 7, 2, 3, false)).add(bn2d(64)).add(relu()).add(maxpool(3, 2));
        }
        int in = 64;
        for (int stage = 0; stage < WIDTHS.length; stage++) {
            int w = WIDTHS[stage];
            int stride = stage == 0 ? 1 : 2;
            b.add(block(in, w, stride));
            b.add(block(w, w, 1));
            in = w;
        }
        b.add(globalAvgPool()).flatten();
        b.add(linear(b.size(), classes));
        return b.build();
    }

    /** torchvision's BasicBlock a→b with stride s as a {@code residual} layer. */
    static com.fasterxml.jackson.databind.node.ObjectNode block(int a, int b, int stride) {
        ArrayNode body = array(conv(a, b, 3, stride, 1, false), bn2d(b), relu(), conv(b, b, 3, 1, 1, false), bn2d(b));
        ArrayNode shortcut = stride == 1 && a == b ? null : array(conv(a, b, 1, stride, 0, false), bn2d(b));
        return residual(body, shortcut);
    }
}
