package org.ngvi.nn.arch;

import static org.ngvi.nn.arch.LayerJson.bn1d;
import static org.ngvi.nn.arch.LayerJson.bn2d;
import static org.ngvi.nn.arch.LayerJson.conv;
import static org.ngvi.nn.arch.LayerJson.linear;
import static org.ngvi.nn.arch.LayerJson.maxpool;
import static org.ngvi.nn.arch.LayerJson.relu;

import org.ngvi.nn.Dropout;
import org.ngvi.nn.NetworkSpec;

/**
 * LeNet-5 (LeCun et al. 1998) as the reference trains it ({@code LeNet5} and
 * {@code LeNet5BatchNorm} with {@code affine=True} in dl-with-bayes' {@code models/lenet.py}),
 * for a {@code [C, H, W]} input and K classes; [bn] layers only in the BatchNorm variant:
 * <pre>
 *   conv2d C→6 k5×5 s1 p·(bias) · [batchnorm2d 6]  · relu · maxpool2d k2 s2
 *   conv2d 6→16 k5×5 s1 p0     · [batchnorm2d 16] · relu · maxpool2d k2 s2
 *   flatten (16·h·w)
 *   linear 16·h·w→120 · [batchnorm1d 120] · relu · [dropout p]
 *   linear 120→84     · [batchnorm1d 84]  · relu · [dropout p]
 *   linear 84→K
 * </pre>
 * The dropout layers exist only with {@code model_args.dropout} p &gt; 0 (the MC-dropout
 * baseline: dropout on the fully connected layers, as in Gal &amp; Ghahramani's LeNet).
 * The first convolution's padding p is 2 for inputs smaller than 32×32 (28×28 Fashion-MNIST
 * then gives the 5×5×16 = 400 features of LeCun's padded 32×32 digits) and 0 otherwise (CIFAR's
 * 32×32, as the reference); {@code model_args.padding} overrides it. All convolutions and linear
 * layers have biases (as the reference, also with BatchNorm); BatchNorm ε = 1e-5, momentum 0.1.
 * Parameters for 28×28×1 and 10 classes: 61,706 (with BatchNorm 62,158); for 32×32×3: 62,006.
 */
public final class LeNet5 {
    private LeNet5() {
    }

    /** The padding the first convolution gets by default: 2 below 32×32, else 0. */
    public static int defaultPadding(long[] chw) {
        return chw[1] < 32 || chw[2] < 32 ? 2 : 0;
    }

    /**
     * @param chw       per-example input {@code [C, H, W]}
     * @param classes   K ≥ 2
     * @param batchNorm the {@code LeNet5BatchNorm} variant
     * @param padding   zero padding of the first convolution
     */
    public static NetworkSpec spec(long[] chw, int classes, boolean batchNorm, int padding) {
        return spec(chw, classes, batchNorm, padding, 0);
    }

    /**
     * @param dropout probability p of the dropout layers after both hidden fully connected
     *                layers; 0: none
     */
    public static NetworkSpec spec(long[] chw, int classes, boolean batchNorm, int padding, double dropout) {
        SpecBuilder b = new SpecBuilder(batchNorm ? "lenet5_bn" : "lenet5", chw);
        b.add(conv(b.channels(), 6, 5, 1, padding, true));
        if (batchNorm) {
            b.add(bn2d(6));
        }
        b.add(relu()).add(maxpool(2, 2));
        b.add(conv(6, 16, 5, 1, 0, true));
        if (batchNorm) {
            b.add(bn2d(16));
        }
        b.add(relu()).add(maxpool(2, 2)).flatten();
        b.add(linear(b.size(), 120));
        if (batchNorm) {
            b.add(bn1d(120));
        }
        b.add(relu());
        if (dropout > 0) {
            b.add(new Dropout(dropout).toJson());
        }
        b.add(linear(120, 84));
        if (batchNorm) {
            b.add(bn1d(84));
        }
        b.add(relu());
        if (dropout > 0) {
            b.add(new Dropout(dropout).toJson());
        }
        b.add(linear(84, classes));
        return b.build();
    }
}
