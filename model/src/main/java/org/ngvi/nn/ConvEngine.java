package org.ngvi.nn;

import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How a {@link Conv2d} computes its products. Both give the same results up to float rounding
 * (the fixture and brute-force tests run both).
 * <ul>
 *   <li>{@link #IM2COL}: one example at a time, im2col into a per-layer buffer and one OpenBLAS
 *       GEMM per product ({@link Im2colBuffer}, {@link BlockGemm}). Portable; layer memory
 *       independent of the batch.</li>
 *   <li>{@link #NATIVE}: ND4J's {@code conv2d} and {@code conv2d_bp} ops on the whole batch. In
 *       the {@code nd4j-native} build with the {@code linux-x86_64-onednn} classifier these run
 *       oneDNN's direct convolutions, measured 2–3× faster than {@link #IM2COL} on ResNet-18's
 *       3×3 layers here; in the plain build they are 2–10× slower (im2col of the whole batch), so
 *       {@link #auto} picks them only when oneDNN is loaded.</li>
 * </ul>
 * The first layer of a network has no input delta to propagate; {@code conv2d_bp} would compute
 * one anyway, so a {@link #NATIVE} layer without {@code gradIn} takes the {@link #IM2COL}
 * backward (LeNet's 1→6 convolution: 4 ms against 17 ms).
 */
public enum ConvEngine {
    IM2COL,
    NATIVE;

    /** System property overriding {@link #auto}: {@code im2col}, {@code native} or {@code auto} (the default). */
    public static final String PROPERTY = "ngvi.conv.engine";

    private static volatile Boolean onednn;

    /**
     * The engine for a network computing in {@code dtype}: {@link #NATIVE} for FLOAT when ND4J's
     * native library was built with oneDNN (the {@code -onednn} classifier; oneDNN has no float64
     * kernels), else {@link #IM2COL}; the system property {@value #PROPERTY} overrides it.
     *
     * @throws IllegalArgumentException when the property has another value
     */
    public static ConvEngine auto(DataType dtype) {
        String p = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "im2col" -> IM2COL;
            case "native" -> NATIVE;
            case "auto", "" -> dtype == DataType.FLOAT && oneDnnLoaded() ? NATIVE : IM2COL;
            default -> throw new IllegalArgumentException("system property " + PROPERTY + ": expected im2col, native or auto, got '"
                    + System.getProperty(PROPERTY) + "'");
        };
    }

    /** Whether the loaded ND4J native library has oneDNN ({@code HAVE_ONEDNN} in its build information). */
    public static boolean oneDnnLoaded() {
        Boolean b = onednn;
        if (b == null) {
            org.nd4j.linalg.factory.Nd4j.getBackend(); // loads the native library
            b = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
            onednn = b;
        }
        return b;
    }
}
