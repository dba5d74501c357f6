package org.ngvi.dl4j;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * DL4J convolution and pooling windows in our terms: the symmetric zero padding and the output
 * size ⌊(H + 2p − k)/s⌋ + 1 (PyTorch's formula, which is DL4J's Truncate mode; Strict additionally
 * requires the division to be exact). ConvolutionMode.Same pads to an output of ⌈H/s⌉ with a total
 * padding of max(0, (⌈H/s⌉ − 1)·s + k − H), the extra row/column (if the total is odd) at the
 * bottom/right; only the symmetric case has an equivalent here. Errors name the DL4J layer.
 */
final class Dl4jWindow {
    private Dl4jWindow() {
    }

    /** Our symmetric padding for a DL4J convolution mode (Same: computed, must be symmetric). */
    static int[] padding(int i, Layer l, long[] shape, ConvolutionMode mode, int[] k, int[] s, int[] pad) {
        check2(i, l, "kernel", k, 1);
        check2(i, l, "stride", s, 1);
        if (mode == ConvolutionMode.Strict || mode == ConvolutionMode.Truncate) {
            check2(i, l, "padding", pad, 0);
            return pad.clone();
        }
        if (mode == ConvolutionMode.Same) {
            int[] p = new int[2];
            for (int d = 0; d < 2; d++) {
                long in = shape[d + 1];
                long out = (in + s[d] - 1) / s[d];
                long total = Math.max(0, (out - 1) * s[d] + k[d] - in);
                if (total % 2 != 0) {
                    throw ConfigurationTranslator.error(i, l, "ConvolutionMode.Same needs asymmetric padding here (total "
                            + total + " along " + (d == 0 ? "height" : "width") + " for input " + Arrays.toString(shape) + ", kernel "
                            + Arrays.toString(k) + ", stride " + Arrays.toString(s) + "), which is not supported "
                            + "(supported: Truncate/Strict with explicit padding, or Same when the padding is symmetric)");
                }
                p[d] = (int) (total / 2);
            }
            return p;
        }
        throw ConfigurationTranslator.error(i, l, "convolution mode " + mode
                + " is not supported (supported: Truncate, Strict, Same with symmetric padding)");
    }

    static long[] outputSize(int i, Layer l, long[] shape, ConvolutionMode mode, int[] k, int[] s, int[] pad) {
        long[] out = new long[2];
        for (int d = 0; d < 2; d++) {
            long span = shape[d + 1] + 2L * pad[d] - k[d];
            if (span < 0) {
                throw ConfigurationTranslator.error(i, l, "kernel " + Arrays.toString(k) + " does not fit the input "
                        + Arrays.toString(shape) + " with padding " + Arrays.toString(pad));
            }
            if (mode == ConvolutionMode.Strict && span % s[d] != 0) {
                throw ConfigurationTranslator.error(i, l, "ConvolutionMode.Strict but (size + 2·padding − kernel) = " + span
                        + " is not a multiple of the stride " + s[d] + " for input " + Arrays.toString(shape));
            }
            out[d] = span / s[d] + 1;
        }
        return out;
    }

    static void requireNoDilation(int i, Layer l, int[] dilation) {
        if (dilation != null) {
            for (int d : dilation) {
                if (d != 1) {
                    throw ConfigurationTranslator.error(i, l, "dilation " + Arrays.toString(dilation)
                            + " is not supported (supported: 1, 1)");
                }
            }
        }
    }

    private static void check2(int i, Layer l, String what, int[] v, int min) {
        if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
            throw ConfigurationTranslator.error(i, l, what + " " + Arrays.toString(v)
                    + " is not supported (expected two values >= " + min + ")");
        }
    }
}
