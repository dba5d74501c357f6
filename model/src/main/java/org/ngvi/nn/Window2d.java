package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * A sliding window over the last two axes of {@code [C, H, W]} (PyTorch's {@code kernel_size},
 * {@code stride}, {@code padding}; dilation 1). With zero padding on both sides and floor mode,
 * <pre>
 *   H_out = ⌊(H + 2 p_h − k_h) / s_h⌋ + 1,   W_out = ⌊(W + 2 p_w − k_w) / s_w⌋ + 1,
 * </pre>
 * and output position (y, x) reads input rows y·s_h − p_h + a (a &lt; k_h) and columns
 * x·s_w − p_w + b (b &lt; k_w); rows and columns that do not fill a window are dropped.
 *
 * @param kh kernel height, ≥ 1
 * @param kw kernel width, ≥ 1
 * @param sh stride along H, ≥ 1
 * @param sw stride along W, ≥ 1
 * @param ph zero padding on top and bottom, ≥ 0
 * @param pw zero padding left and right, ≥ 0
 */
public record Window2d(int kh, int kw, int sh, int sw, int ph, int pw) {
    public Window2d {
        if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || ph < 0 || pw < 0) {
            throw new IllegalArgumentException("window: kernel and stride must be ≥ 1 and padding ≥ 0, got kernel [" + kh + ", "
                    + kw + "] stride [" + sh + ", " + sw + "] padding [" + ph + ", " + pw + "]");
        }
    }

    /** Output height for input height {@code h}; a clear error when the padded input is smaller than the kernel. */
    public int outH(long h) {
        return out(h, kh, sh, ph, "height");
    }

    /** Output width for input width {@code w}; a clear error when the padded input is smaller than the kernel. */
    public int outW(long w) {
        return out(w, kw, sw, pw, "width");
    }

    private static int out(long n, int k, int s, int p, String axis) {
        long padded = n + 2L * p;
        if (padded < k) {
            throw new IllegalArgumentException("input " + axis + " " + n + " with padding " + p + " is smaller than the kernel "
                    + k);
        }
        return Math.toIntExact((padded - k) / s + 1);
    }

    /**
     * The per-example input shape {@code [C, H, W]} of a 2-d layer, checked: exactly three
     * positive dimensions, and {@code C == channels} unless {@code channels} is 0.
     */
    static int[] chw(long[] inputShape, int channels, String layer) {
        if (inputShape.length != 3 || inputShape[0] <= 0 || inputShape[1] <= 0 || inputShape[2] <= 0
                || (channels > 0 && inputShape[0] != channels)) {
            throw new IllegalArgumentException(layer + ": expects per-example input shape [" + (channels > 0 ? channels : "C")
                    + ", H, W], got " + Arrays.toString(inputShape));
        }
        return new int[] {Math.toIntExact(inputShape[0]), Math.toIntExact(inputShape[1]), Math.toIntExact(inputShape[2])};
    }

    /**
     * Reads {@code kernel}, {@code stride} and (when {@code withPadding}) {@code padding}, each a
     * two-element array {@code [h, w]}, from a layer's JSON; errors name {@code where}, the type
     * and the field.
     */
    static Window2d fromJson(JsonNode n, String where, boolean withPadding) {
        int[] k = pair(n, "kernel", 1, where);
        int[] s = pair(n, "stride", 1, where);
        int[] p = withPadding ? pair(n, "padding", 0, where) : new int[] {0, 0};
        return new Window2d(k[0], k[1], s[0], s[1], p[0], p[1]);
    }

    private static int[] pair(JsonNode n, String field, int min, String where) {
        JsonNode v = n.get(field);
        boolean ok = v != null && v.isArray() && v.size() == 2;
        for (int i = 0; ok && i < 2; i++) {
            ok = v.get(i).isIntegralNumber() && v.get(i).canConvertToInt() && v.get(i).asInt() >= min;
        }
        if (!ok) {
            throw new IllegalArgumentException(where + " (" + n.path("type").asText("?") + "): field '" + field
                    + "' must be an array of two integers ≥ " + min + " ([h, w]), got " + (v == null ? "nothing" : v.toString()));
        }
        return new int[] {v.get(0).asInt(), v.get(1).asInt()};
    }

    /** Writes {@code kernel}, {@code stride} and (when {@code withPadding}) {@code padding} into {@code n}. */
    void putJson(ObjectNode n, boolean withPadding) {
        putPair(n.putArray("kernel"), kh, kw);
        putPair(n.putArray("stride"), sh, sw);
        if (withPadding) {
            putPair(n.putArray("padding"), ph, pw);
        }
    }

    private static void putPair(ArrayNode a, int h, int w) {
        a.add(h);
        a.add(w);
    }

    @Override
    public String toString() {
        return "k" + kh + "x" + kw + " s" + sh + "x" + sw + (ph == 0 && pw == 0 ? "" : " p" + ph + "x" + pw);
    }
}
