package org.ngvi.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ngvi.fixtures.TensorAssert.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.fixtures.AllocationProbe;
import org.ngvi.tensor.FlatTensor;

/**
 * Conv2d, MaxPool2d, AvgPool2d and GlobalAvgPool2d against direct loops written from the
 * definitions (PyTorch semantics), the im2col kernels against their adjoint identity, the
 * strided GEMM against ND4J, JSON round trips and error messages, and the no-allocation
 * guarantee of a warm convolutional training step.
 */
class ConvAndPoolLayerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static INDArray random(DataType dt, SplittableRandom rng, long... shape) {
        INDArray a = Nd4j.create(dt, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rng.nextGaussian());
        }
        return a;
    }

    // ---------------------------------------------------------------- conv2d

    /** (C, H, W, O, kh, kw, sh, sw, ph, pw, bias, B). */
    static Stream<Arguments> convSettings() {
        return Stream.of(
                Arguments.of(2, 5, 5, 3, 3, 3, 1, 1, 1, 1, true, 3),
                Arguments.of(1, 9, 9, 2, 5, 5, 2, 2, 0, 0, true, 2),
                Arguments.of(3, 7, 6, 2, 3, 2, 2, 1, 1, 2, false, 2),   // non-square kernel, asymmetric stride and padding
                Arguments.of(2, 4, 5, 4, 1, 1, 1, 1, 0, 0, true, 2),    // 1×1
                Arguments.of(2, 6, 6, 3, 2, 2, 3, 3, 0, 0, true, 2),    // stride > kernel: skipped inputs
                Arguments.of(1, 3, 3, 2, 3, 3, 1, 1, 3, 3, true, 1),    // padding ≥ kernel: all-zero windows
                Arguments.of(2, 5, 4, 2, 5, 4, 1, 1, 0, 0, false, 3));  // kernel = whole image
    }

    @ParameterizedTest(name = "C={0} {1}x{2} O={3} k{4}x{5} s{6}x{7} p{8}x{9} bias={10} B={11}")
    @MethodSource("convSettings")
    void convMatchesDirectLoops(int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, boolean bias, int batch) {
        for (ConvEngine engine : ConvEngine.values()) {
          for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            double tol = dt == DataType.DOUBLE ? 1e-12 : 1e-5;
            SplittableRandom rng = new SplittableRandom(31L * c + h + 7L * kh + sw);
            Conv2d conv = new Conv2d(c, o, new Window2d(kh, kw, sh, sw, ph, pw), bias);
            long[] outShape = conv.outputShape(new long[] {c, h, w});
            int oh = (h + 2 * ph - kh) / sh + 1;
            int ow = (w + 2 * pw - kw) / sw + 1;
            assertArrayEquals(new long[] {o, oh, ow}, outShape);
            INDArray x = random(dt, rng, batch, c, h, w);
            INDArray wt = random(dt, rng, o, c, kh, kw);
            INDArray b = bias ? random(dt, rng, o) : null;
            List<INDArray> params = bias ? List.of(wt, b) : List.of(wt);
            Object scratch = conv.scratch(batch, new long[] {c, h, w}, dt, engine);
            INDArray y = Nd4j.create(dt, batch, o, oh, ow);
            conv.forward(x, params, y, scratch, true);

            INDArray delta = random(dt, rng, batch, o, oh, ow);
            INDArray gradIn = Nd4j.create(dt, batch, c, h, w).assign(Double.NaN);
            INDArray gw = Nd4j.create(dt, o, c, kh, kw).assign(Double.NaN);
            INDArray gb = bias ? Nd4j.create(dt, o).assign(Double.NaN) : null;
            conv.backward(x, y, delta, params, gradIn, bias ? List.of(gw, gb) : List.of(gw), scratch);

            // direct loops in double
            INDArray ey = Nd4j.create(DataType.DOUBLE, batch, o, oh, ow);
            INDArray egx = Nd4j.create(DataType.DOUBLE, batch, c, h, w);
            INDArray egw = Nd4j.create(DataType.DOUBLE, o, c, kh, kw);
            INDArray egb = Nd4j.create(DataType.DOUBLE, o);
            for (int i = 0; i < batch; i++) {
                for (int q = 0; q < o; q++) {
                    for (int u = 0; u < oh; u++) {
                        for (int v = 0; v < ow; v++) {
                            double s = bias ? b.getDouble(q) : 0;
                            double d = delta.getDouble(i, q, u, v);
                            egb.putScalar(q, egb.getDouble(q) + d / batch);
                            for (int ch = 0; ch < c; ch++) {
                                for (int a = 0; a < kh; a++) {
                                    for (int bb = 0; bb < kw; bb++) {
                                        int iy = u * sh - ph + a;
                                        int ix = v * sw - pw + bb;
                                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                            continue;
                                        }
                                        double xv = x.getDouble(i, ch, iy, ix);
                                        double wv = wt.getDouble(q, ch, a, bb);
                                        s += wv * xv;
                                        egw.putScalar(new int[] {q, ch, a, bb}, egw.getDouble(q, ch, a, bb) + d * xv / batch);
                                        egx.putScalar(new int[] {i, ch, iy, ix}, egx.getDouble(i, ch, iy, ix) + d * wv);
                                    }
                                }
                            }
                            ey.putScalar(new int[] {i, q, u, v}, s);
                        }
                    }
                }
            }
            String tag = engine + " " + dt + " " + conv;
            assertClose(ey, y, tol, tag + " forward");
            assertClose(egx, gradIn, tol, tag + " input delta");
            assertClose(egw, gw, tol, tag + " weight gradient");
            if (bias) {
                assertClose(egb, gb, tol, tag + " bias gradient");
            }
            // the first layer has no input delta: the weight gradients alone
            INDArray gw0 = Nd4j.create(dt, o, c, kh, kw).assign(Double.NaN);
            INDArray gb0 = bias ? Nd4j.create(dt, o).assign(Double.NaN) : null;
            conv.backward(x, y, delta, params, null, bias ? List.of(gw0, gb0) : List.of(gw0), scratch);
            assertClose(egw, gw0, tol, tag + " weight gradient without input delta");
            if (bias) {
                assertClose(egb, gb0, tol, tag + " bias gradient without input delta");
            }
          }
        }
    }

    /** Sums the squares of the G_i it receives, and their sum for ∂L/∂W. */
    private static final class SquaringSink implements Conv2d.WeightGradientSink {
        final INDArray product;
        final double[] squares;
        final double[] sum;

        SquaringSink(DataType dt, int o, int k) {
            product = Nd4j.create(dt, o, k);
            squares = new double[o * k];
            sum = new double[o * k];
        }

        @Override
        public INDArray product() {
            return product;
        }

        @Override
        public void accept(int example) {
            for (int j = 0; j < squares.length; j++) {
                double v = product.getDouble(j / product.size(1), j % product.size(1));
                squares[j] += v * v;
                sum[j] += v;
            }
        }

        @Override
        public void writeMean(INDArray weightGrad, int batch) {
            INDArray flat = weightGrad.reshape(weightGrad.length());
            for (int j = 0; j < sum.length; j++) {
                flat.putScalar(j, sum[j] / batch);
            }
        }
    }

    /**
     * An armed backward pass hands every example's G_i = Δ_i U_iᵀ to the sink, on both engines
     * (the native one per example, for a layer above its per-example threshold of 1 M multiply-adds),
     * and the gradients still match the unarmed pass.
     */
    @Test
    void armedBackwardDeliversPerExampleWeightGradientsOnBothEngines() {
        int c = 16, o = 32, h = 16, batch = 3;
        Conv2d conv = new Conv2d(c, o, new Window2d(3, 3, 1, 1, 1, 1), true);
        int k = conv.patchSize();
        assertTrue((long) o * k * h * h >= Conv2d.PER_EXAMPLE_NATIVE_MACS, "the setting must take the per-example native path");
        for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            double tol = dt == DataType.DOUBLE ? 1e-10 : 1e-4;
            SplittableRandom rng = new SplittableRandom(5);
            INDArray x = random(dt, rng, batch, c, h, h);
            INDArray wt = random(dt, rng, o, c, 3, 3);
            INDArray b = random(dt, rng, o);
            INDArray delta = random(dt, rng, batch, o, h, h);
            INDArray y = Nd4j.create(dt, batch, o, h, h);
            // reference: G_i from single-example unarmed passes on the im2col engine
            double[] squares = new double[o * k];
            for (int i = 0; i < batch; i++) {
                INDArray xi = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)).dup();
                INDArray di = delta.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)).dup();
                INDArray gi = Nd4j.create(dt, o, c, 3, 3);
                conv.backward(xi, y, di, List.of(wt, b), Nd4j.create(dt, 1, c, h, h), List.of(gi, Nd4j.create(dt, o)),
                        conv.scratch(1, new long[] {c, h, h}, dt, ConvEngine.IM2COL));
                INDArray flat = gi.reshape(gi.length());
                for (int j = 0; j < squares.length; j++) {
                    squares[j] += flat.getDouble(j) * flat.getDouble(j);
                }
            }
            for (ConvEngine engine : ConvEngine.values()) {
                String tag = engine + " " + dt;
                Conv2d.Scratch scratch = conv.scratch(batch, new long[] {c, h, h}, dt, engine);
                INDArray gIn0 = Nd4j.create(dt, batch, c, h, h);
                INDArray gw0 = Nd4j.create(dt, o, c, 3, 3);
                INDArray gb0 = Nd4j.create(dt, o);
                conv.backward(x, y, delta, List.of(wt, b), gIn0, List.of(gw0, gb0), scratch);
                SquaringSink sink = new SquaringSink(dt, o, k);
                scratch.tap().arm(sink);
                INDArray gIn = Nd4j.create(dt, batch, c, h, h);
                INDArray gw = Nd4j.create(dt, o, c, 3, 3);
                INDArray gb = Nd4j.create(dt, o);
                conv.backward(x, y, delta, List.of(wt, b), gIn, List.of(gw, gb), scratch);
                assertTrue(scratch.tap().delivered(sink), tag + ": the armed pass delivers");
                assertClose(gIn0, gIn, tol, tag + " input delta");
                assertClose(gw0, gw, tol, tag + " weight gradient");
                assertClose(gb0, gb, tol, tag + " bias gradient");
                assertClose(Nd4j.createFromArray(squares), Nd4j.createFromArray(sink.squares), tol, tag + " Σ G_i²");
                conv.backward(x, y, delta, List.of(wt, b), gIn, List.of(gw, gb), scratch);
                assertTrue(!scratch.tap().delivered(sink), tag + ": a request serves one pass only");
            }
        }
    }

    @Test
    void convWorksOnBatchViewsWithAnOffset() {
        SplittableRandom rng = new SplittableRandom(5);
        Conv2d conv = new Conv2d(2, 3, new Window2d(3, 3, 1, 1, 1, 1), true);
        INDArray all = random(DataType.DOUBLE, rng, 5, 2, 4, 4);
        INDArray view = all.get(NDArrayIndex.interval(2, 4)); // examples 2 and 3, offset into the buffer
        INDArray copy = view.dup();
        INDArray wt = random(DataType.DOUBLE, rng, 3, 2, 3, 3);
        INDArray b = random(DataType.DOUBLE, rng, 3);
        INDArray y1 = Nd4j.create(DataType.DOUBLE, 2, 3, 4, 4);
        INDArray y2 = Nd4j.create(DataType.DOUBLE, 2, 3, 4, 4);
        conv.forward(view, List.of(wt, b), y1, conv.scratch(2, new long[] {2, 4, 4}, DataType.DOUBLE), false);
        conv.forward(copy, List.of(wt, b), y2, conv.scratch(2, new long[] {2, 4, 4}, DataType.DOUBLE), false);
        assertEquals(y2, y1);
        // parameters as views into one flat vector (how a Network passes them)
        Network net = Network.build(new NetworkSpec(new long[] {2, 4, 4},
                arr(conv.toJson(), new Flatten().toJson(), new Linear(48, 2, true).toJson()), "cross_entropy"), DataType.DOUBLE);
        FlatTensor p = FlatTensor.zeros(net.layout(), DataType.DOUBLE);
        p.view("0.weight").assign(wt);
        p.view("0.bias").assign(b);
        INDArray y3 = Nd4j.create(DataType.DOUBLE, 2, 3, 4, 4);
        conv.forward(view, net.views(p, 0), y3, conv.scratch(2, new long[] {2, 4, 4}, DataType.DOUBLE), false);
        assertEquals(y2, y3);
    }

    @Test
    void convInitIsPyTorchsKaimingUniform() {
        Network net = Network.build(new NetworkSpec(new long[] {4, 8, 8},
                arr(new Conv2d(4, 32, new Window2d(3, 5, 1, 1, 1, 2), true).toJson(), new GlobalAvgPool2d().toJson()), "cross_entropy"),
                DataType.DOUBLE);
        FlatTensor p = net.initParams(11);
        double bound = 1 / Math.sqrt(4 * 3 * 5);
        INDArray w = p.view("0.weight");
        assertArrayEquals(new long[] {32, 4, 3, 5}, w.shape());
        assertTrue(w.amaxNumber().doubleValue() <= bound);
        assertTrue(w.amaxNumber().doubleValue() > 0.95 * bound, "spread over the whole interval");
        assertEquals(bound * bound / 3, w.varNumber().doubleValue(), 0.1 * bound * bound / 3);
        assertTrue(p.view("0.bias").amaxNumber().doubleValue() <= bound);
        assertTrue(p.view("0.bias").amaxNumber().doubleValue() > 0.3 * bound);
    }

    // ---------------------------------------------------------------- im2col and gemm

    @Test
    void col2imIsTheAdjointOfIm2col() {
        SplittableRandom rng = new SplittableRandom(3);
        for (Window2d win : List.of(new Window2d(3, 3, 1, 1, 1, 1), new Window2d(3, 2, 2, 3, 2, 1), new Window2d(2, 2, 3, 3, 0, 0),
                new Window2d(4, 4, 1, 2, 4, 5), new Window2d(1, 1, 1, 1, 0, 0))) {
            ConvGeometry g = ConvGeometry.of(2, 5, 6, win);
            double[] x = new double[g.imageSize()];
            double[] u = new double[g.patchSize() * g.positions()];
            double[] cols = new double[u.length];
            double[] back = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextGaussian();
            }
            for (int i = 0; i < u.length; i++) {
                u[i] = rng.nextGaussian();
            }
            g.im2col(x, cols);
            g.col2im(u, back);
            double lhs = 0;
            double rhs = 0;
            for (int i = 0; i < u.length; i++) {
                lhs += cols[i] * u[i];
            }
            for (int i = 0; i < x.length; i++) {
                rhs += x[i] * back[i];
            }
            assertEquals(lhs, rhs, 1e-10 * (Math.abs(lhs) + 1), "⟨im2col x, U⟩ = ⟨x, col2im U⟩ for " + win);
            float[] xf = new float[x.length];
            float[] colsF = new float[cols.length];
            for (int i = 0; i < x.length; i++) {
                xf[i] = (float) x[i];
            }
            g.im2col(xf, colsF);
            for (int i = 0; i < cols.length; i++) {
                assertEquals((float) cols[i], colsF[i], "float im2col " + win);
            }
        }
    }

    @Test
    void blockGemmMatchesNd4jOnSubBlocksAndChecksBounds() {
        SplittableRandom rng = new SplittableRandom(9);
        for (DataType dt : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            INDArray a = random(dt, rng, 5, 7);      // op(A) = A[1:4, 2:6] (3×4), leading dimension 7
            INDArray b = random(dt, rng, 6, 4);      // op(B) = (B[1:3, :])ᵀ (4×2), leading dimension 4
            INDArray c = random(dt, rng, 3, 5);
            INDArray expected = c.dup();
            INDArray ab = a.get(NDArrayIndex.interval(1, 4), NDArrayIndex.interval(2, 6))
                    .mmul(b.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all()).transpose());
            // C[:, 1:3] = 2·op(A)op(B) + 0.5·C[:, 1:3]
            expected.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3))
                    .assign(ab.mul(2).add(c.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3)).mul(0.5)));
            BlockGemm.gemm(false, true, 3, 2, 4, 2.0, a, 7 + 2, 7, b, 4, 4, 0.5, c, 1, 5);
            assertClose(expected, c, dt == DataType.DOUBLE ? 1e-14 : 1e-6, dt + " block gemm");
        }
        INDArray a = Nd4j.create(DataType.FLOAT, 4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlockGemm.gemm(false, false, 4, 4, 4, 1, a, 1, 4, a, 0, 4, 0, Nd4j.create(DataType.FLOAT, 4, 4), 0, 4));
        assertTrue(e.getMessage().contains("beyond"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BlockGemm.gemm(false, false, 2, 2, 2, 1, a, 0, 4, Nd4j.create(DataType.DOUBLE, 2, 2), 0, 2, 0, a, 0, 4));
        assertThrows(IllegalArgumentException.class,
                () -> BlockGemm.gemm(false, false, 2, 3, 2, 1, a, 0, 4, a, 0, 2, 0, a, 0, 4), "leading dimension shorter than a row");
    }

    // ---------------------------------------------------------------- pools

    @Test
    void maxPoolPicksWindowMaximaAndRoutesDeltasAddingOverlaps() {
        // one 4×4 plane, kernel 3, stride 1: windows overlap; the 9 is the max of all four windows
        double[] plane = {
            1, 2, 0, 5,
            4, 9, 3, 1,
            0, 2, 8, 1,
            7, 1, 1, 6};
        INDArray x = Nd4j.createFromArray(plane).reshape(1, 1, 4, 4);
        MaxPool2d pool = new MaxPool2d(new Window2d(3, 3, 1, 1, 0, 0));
        assertArrayEquals(new long[] {1, 2, 2}, pool.outputShape(new long[] {1, 4, 4}));
        INDArray y = Nd4j.create(DataType.DOUBLE, 1, 1, 2, 2);
        Object s = pool.scratch(1, new long[] {1, 4, 4}, DataType.DOUBLE);
        pool.forward(x, List.of(), y, s, true);
        assertArrayEquals(new double[] {9, 9, 9, 9}, y.reshape(4).toDoubleVector());
        INDArray d = Nd4j.createFromArray(1.0, 2.0, 3.0, 4.0).reshape(1, 1, 2, 2);
        INDArray g = Nd4j.create(DataType.DOUBLE, 1, 1, 4, 4).assign(Double.NaN);
        pool.backward(x, y, d, List.of(), g, List.of(), s);
        double[] expected = new double[16];
        expected[5] = 10; // all four deltas at the shared maximum
        assertArrayEquals(expected, g.reshape(16).toDoubleVector());

        // kernel 2 stride 2 on 5×5 (floor mode: last row and column dropped), two channels, two examples, FLOAT
        SplittableRandom rng = new SplittableRandom(1);
        INDArray x2 = random(DataType.FLOAT, rng, 2, 2, 5, 5);
        MaxPool2d p2 = new MaxPool2d(new Window2d(2, 2, 2, 2, 0, 0));
        INDArray y2 = Nd4j.create(DataType.FLOAT, 2, 2, 2, 2);
        Object s2 = p2.scratch(2, new long[] {2, 5, 5}, DataType.FLOAT);
        p2.forward(x2, List.of(), y2, s2, true);
        INDArray d2 = random(DataType.FLOAT, rng, 2, 2, 2, 2);
        INDArray g2 = Nd4j.create(DataType.FLOAT, 2, 2, 5, 5);
        p2.backward(x2, y2, d2, List.of(), g2, List.of(), s2);
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 2; c++) {
                for (int u = 0; u < 2; u++) {
                    for (int v = 0; v < 2; v++) {
                        double max = Double.NEGATIVE_INFINITY;
                        int[] at = null;
                        for (int a = 0; a < 2; a++) {
                            for (int b = 0; b < 2; b++) {
                                double val = x2.getDouble(i, c, 2 * u + a, 2 * v + b);
                                if (val > max) {
                                    max = val;
                                    at = new int[] {i, c, 2 * u + a, 2 * v + b};
                                }
                            }
                        }
                        assertEquals(max, y2.getDouble(i, c, u, v));
                        assertEquals(d2.getDouble(i, c, u, v), g2.getDouble(at[0], at[1], at[2], at[3]));
                    }
                }
                for (int k = 0; k < 5; k++) {
                    assertEquals(0.0, g2.getDouble(i, c, 4, k), "dropped row gets no gradient");
                    assertEquals(0.0, g2.getDouble(i, c, k, 4), "dropped column gets no gradient");
                }
            }
        }
        assertEquals(d2.sumNumber().doubleValue(), g2.sumNumber().doubleValue(), 1e-5, "each delta routed exactly once");
    }

    @Test
    void avgPoolAveragesWindowsAndSpreadsDeltasAddingOverlaps() {
        SplittableRandom rng = new SplittableRandom(2);
        for (Window2d win : List.of(new Window2d(2, 2, 2, 2, 0, 0), new Window2d(3, 2, 1, 2, 0, 0))) {
            AvgPool2d pool = new AvgPool2d(win);
            int h = 5;
            int w = 6;
            int oh = (h - win.kh()) / win.sh() + 1;
            int ow = (w - win.kw()) / win.sw() + 1;
            assertArrayEquals(new long[] {3, oh, ow}, pool.outputShape(new long[] {3, h, w}));
            INDArray x = random(DataType.DOUBLE, rng, 2, 3, h, w);
            INDArray y = Nd4j.create(DataType.DOUBLE, 2, 3, oh, ow);
            pool.forward(x, List.of(), y, null, true);
            INDArray d = random(DataType.DOUBLE, rng, 2, 3, oh, ow);
            INDArray g = Nd4j.create(DataType.DOUBLE, 2, 3, h, w).assign(Double.NaN);
            pool.backward(x, y, d, List.of(), g, List.of(), null);
            INDArray ey = Nd4j.create(DataType.DOUBLE, 2, 3, oh, ow);
            INDArray eg = Nd4j.create(DataType.DOUBLE, 2, 3, h, w);
            double n = win.kh() * win.kw();
            for (int i = 0; i < 2; i++) {
                for (int c = 0; c < 3; c++) {
                    for (int u = 0; u < oh; u++) {
                        for (int v = 0; v < ow; v++) {
                            double s = 0;
                            for (int a = 0; a < win.kh(); a++) {
                                for (int b = 0; b < win.kw(); b++) {
                                    int[] at = {i, c, u * win.sh() + a, v * win.sw() + b};
                                    s += x.getDouble(at[0], at[1], at[2], at[3]);
                                    eg.putScalar(at, eg.getDouble(at[0], at[1], at[2], at[3]) + d.getDouble(i, c, u, v) / n);
                                }
                            }
                            ey.putScalar(new int[] {i, c, u, v}, s / n);
                        }
                    }
                }
            }
            assertClose(ey, y, 1e-14, "avgpool forward " + win);
            assertClose(eg, g, 1e-14, "avgpool backward " + win);
        }
    }

    @Test
    void globalAvgPoolMeansEachPlane() {
        SplittableRandom rng = new SplittableRandom(4);
        GlobalAvgPool2d pool = new GlobalAvgPool2d();
        assertArrayEquals(new long[] {3}, pool.outputShape(new long[] {3, 4, 5}));
        INDArray x = random(DataType.FLOAT, rng, 2, 3, 4, 5);
        INDArray y = Nd4j.create(DataType.FLOAT, 2, 3);
        pool.forward(x, List.of(), y, null, true);
        assertClose(x.mean(2, 3), y, 1e-6, "global average");
        INDArray d = random(DataType.FLOAT, rng, 2, 3);
        INDArray g = Nd4j.create(DataType.FLOAT, 2, 3, 4, 5);
        pool.backward(x, y, d, List.of(), g, List.of(), null);
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 20; k++) {
                    assertEquals(d.getDouble(i, c) / 20, g.getDouble(i, c, k / 5, k % 5), 1e-7);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> pool.outputShape(new long[] {12}));
    }

    // ---------------------------------------------------------------- JSON and errors

    @Test
    void registryBuildsAndRoundTripsEverySpatialType() throws Exception {
        for (String s : List.of(
                "{\"type\":\"conv2d\",\"in_channels\":1,\"out_channels\":6,\"kernel\":[5,3],\"stride\":[1,2],\"padding\":[2,0],\"bias\":true}",
                "{\"type\":\"conv2d\",\"in_channels\":3,\"out_channels\":2,\"kernel\":[1,1],\"stride\":[1,1],\"padding\":[0,0],\"bias\":false}",
                "{\"type\":\"maxpool2d\",\"kernel\":[2,2],\"stride\":[2,2]}",
                "{\"type\":\"avgpool2d\",\"kernel\":[3,2],\"stride\":[1,2]}",
                "{\"type\":\"global_avgpool2d\"}")) {
            Layer l = Layers.fromJson(json(s), "layers[0]");
            assertEquals(json(s), l.toJson());
            assertEquals(json(s).get("type").asText(), l.type());
        }
        Conv2d conv = assertInstanceOf(Conv2d.class, Layers.fromJson(json(
                "{\"type\":\"conv2d\",\"in_channels\":2,\"out_channels\":4,\"kernel\":[3,5],\"stride\":[1,1],\"padding\":[1,2],"
                        + "\"bias\":true}"), "x"));
        assertEquals(2, conv.paramSpecs().size());
        assertArrayEquals(new long[] {4, 2, 3, 5}, conv.paramSpecs().get(0).shape());
        assertArrayEquals(new long[] {4}, conv.paramSpecs().get(1).shape());
        assertArrayEquals(new long[] {4, 7, 9}, conv.outputShape(new long[] {2, 7, 9}));
    }

    @Test
    void badSpatialLayersAreClearErrors() throws Exception {
        String base = "\"in_channels\":1,\"out_channels\":2,\"stride\":[1,1],\"padding\":[0,0],\"bias\":true";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromJson(json("{\"type\":\"conv2d\"," + base + ",\"kernel\":[3]}"), "layers[4]"));
        assertTrue(e.getMessage().contains("layers[4]") && e.getMessage().contains("'kernel'") && e.getMessage().contains("[h, w]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.fromJson(json(
                "{\"type\":\"conv2d\",\"in_channels\":1,\"out_channels\":2,\"kernel\":[3,3],\"stride\":[1,1],\"padding\":[-1,0],"
                        + "\"bias\":true}"), "layers[1]"));
        assertTrue(e.getMessage().contains("'padding'") && e.getMessage().contains("≥ 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.fromJson(json(
                "{\"type\":\"conv2d\",\"out_channels\":2,\"kernel\":[3,3],\"stride\":[1,1],\"padding\":[0,0],\"bias\":true}"), "layers[2]"));
        assertTrue(e.getMessage().contains("'in_channels'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromJson(json("{\"type\":\"maxpool2d\",\"kernel\":[2,2],\"stride\":[0,2]}"), "layers[3]"));
        assertTrue(e.getMessage().contains("'stride'") && e.getMessage().contains("maxpool2d"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromJson(json("{\"type\":\"avgpool2d\",\"kernel\":\"2\",\"stride\":[2,2]}"), "layers[5]"));
        assertTrue(e.getMessage().contains("'kernel'") && e.getMessage().contains("avgpool2d"), e.getMessage());

        Conv2d conv = new Conv2d(3, 2, new Window2d(3, 3, 1, 1, 0, 0), true);
        e = assertThrows(IllegalArgumentException.class, () -> conv.outputShape(new long[] {2, 8, 8}));
        assertTrue(e.getMessage().contains("[3, H, W]") && e.getMessage().contains("[2, 8, 8]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> conv.outputShape(new long[] {3, 2, 8}));
        assertTrue(e.getMessage().contains("smaller than the kernel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(new Window2d(2, 2, 2, 2, 0, 0))
                .outputShape(new long[] {48}));
        assertTrue(e.getMessage().contains("[C, H, W]"), e.getMessage());
    }

    // ---------------------------------------------------------------- allocation

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void warmConvEvaluationAllocatesNothing(DataType dtype) {
        ArrayNode layers = arr(
                new Conv2d(1, 4, new Window2d(3, 3, 1, 1, 1, 1), true).toJson(), new Relu().toJson(),
                new MaxPool2d(new Window2d(2, 2, 2, 2, 0, 0)).toJson(),
                new Conv2d(4, 6, new Window2d(3, 2, 2, 1, 1, 0), false).toJson(), new Tanh().toJson(),
                new AvgPool2d(new Window2d(2, 2, 1, 1, 0, 0)).toJson(),
                new GlobalAvgPool2d().toJson(), new Linear(6, 5, true).toJson());
        Network net = Network.build(new NetworkSpec(new long[] {1, 12, 12}, layers, "cross_entropy"), dtype);
        FlatTensor theta = net.initParams(1);
        FlatTensor grad = FlatTensor.zeros(net.layout(), dtype);
        FlatTensor sq = FlatTensor.zeros(net.layout(), dtype);
        INDArray x = Nd4j.rand(dtype, 8, 1, 12, 12);
        int[] y = {0, 1, 2, 3, 4, 0, 1, 2};
        NetworkObjective objective = new NetworkObjective(net).setBatch(x, y);
        objective.evaluate(theta, grad, sq);
        assertEquals(0, AllocationProbe.allocatedBytes(() -> {
            for (int i = 0; i < 5; i++) {
                objective.evaluate(theta, grad, sq);
                objective.evaluate(theta, grad, null);
                net.forward(theta, x, false);
            }
        }));
    }

    private static ArrayNode arr(JsonNode... ls) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (JsonNode l : ls) {
            a.add(l);
        }
        return a;
    }
}
