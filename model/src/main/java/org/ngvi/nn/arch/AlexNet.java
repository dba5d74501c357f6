package org.ngvi.nn.arch;

import static org.ngvi.nn.arch.LayerJson.conv;
import static org.ngvi.nn.arch.LayerJson.linear;
import static org.ngvi.nn.arch.LayerJson.maxpool;
import static org.ngvi.nn.arch.LayerJson.relu;

import org.ngvi.nn.NetworkSpec;

/**
 * AlexNet in its CIFAR form (the reference's {@code models/alexnet.py}, after Wei Yang's
 * pytorch-classification: the fully connected layers removed, paddings adjusted, no BatchNorm),
 * for a {@code [C, H, W]} input and K classes:
 * <pre>
 *   conv2d C→64 k11×11 s4 p5   · relu · maxpool2d k2 s2
 *   conv2d 64→192 k5×5 s1 p2   · relu · maxpool2d k2 s2
 *   conv2d 192→384 k3×3 s1 p1  · relu
 *   conv2d 384→256 k3×3 s1 p1  · relu
 *   conv2d 256→256 k3×3 s1 p1  · relu · maxpool2d k2 s2
 *   flatten (256·h·w; 256 for 32×32 inputs) · linear 256·h·w→K
 * </pre>
 * Every layer has a bias. For 32×32×3 and 10 classes: 2,472,266 parameters.
 */
public final class AlexNet {
    private AlexNet() {
    }

    public static NetworkSpec spec(long[] chw, int classes) {
        SpecBuilder b = new SpecBuilder("alexnet", chw);
        b.add(conv(b.channels(), 64, 11, 4, 5, true)).add(relu()).add(maxpool(2, 2));
        b.add(conv(64, 192, 5, 1, 2, true)).add(relu()).add(maxpool(2, 2));
        b.add(conv(192, 384, 3, 1, 1, true)).add(relu());
        b.add(conv(384, 256, 3, 1, 1, true)).add(relu());
        b.add(conv(256, 256, 3, 1, 1, true)).add(relu()).add(maxpool(2, 2));
        b.flatten();
        b.add(linear(b.size(), classes));
        return b.build();
    }
}
