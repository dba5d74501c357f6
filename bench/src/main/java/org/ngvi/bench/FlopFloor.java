package org.ngvi.bench;

import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.nn.BlockGemm;
import org.ngvi.nn.Conv2d;
import org.ngvi.nn.ConvGeometry;
import org.ngvi.nn.Layer;
import org.ngvi.nn.Linear;
import org.ngvi.nn.Network;
import org.ngvi.nn.ResidualBlock;

/**
 * The FLOP floor of a training step: the multiply-adds of the network's convolutions and linear
 * layers, 2·O·K·P per example and convolution (K = C·k_h·k_w, P = H_out·W_out) and 2·in·out per
 * linear layer, times 3 for forward, input-delta and weight-gradient products (the usual count;
 * LeNet-5+BN at batch 128 is 0.32 GFLOP, CIFAR ResNet-18 at batch 32 107 GFLOP), divided by the
 * single-thread sgemm rate measured here (OpenBLAS through {@link BlockGemm}, 1024³, best of 10):
 * the step time if every product ran at GEMM speed and nothing else cost anything.
 */
final class FlopFloor {
    private FlopFloor() {
    }

    /** GFLOP of one training step of {@code net} at batch {@code batch}. */
    static double trainingGflop(Network net, long batch) {
        return 3 * forwardFlops(net.layers(), net.inputShape()) * batch / 1e9;
    }

    private static double forwardFlops(List<Layer> layers, long[] shape) {
        double f = 0;
        for (Layer l : layers) {
            if (l instanceof Conv2d c) {
                ConvGeometry g = c.geometry(shape);
                f += 2.0 * c.outChannels() * g.patchSize() * g.positions();
            } else if (l instanceof Linear lin) {
                f += 2.0 * lin.in() * lin.out();
            } else if (l instanceof ResidualBlock r) {
                long[][] sub = r.subInputShapes(shape);
                for (int k = 0; k < r.subLayers().size(); k++) {
                    f += forwardFlops(List.of(r.subLayers().get(k)), sub[k]);
                }
            }
            shape = l.outputShape(shape);
        }
        return f;
    }

    /** Single-thread float32 GEMM rate in GFLOP/s: C = A·B with 1024×1024 matrices, best of 10. */
    static double sgemmGflops() {
        int n = 1024;
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 11; r++) {
            long t0 = System.nanoTime();
            BlockGemm.gemm(false, false, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n);
            double s = (System.nanoTime() - t0) / 1e9;
            if (r > 0) {
                best = Math.min(best, s);
            }
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    /** "G GFLOP per step; floor at R GFLOP/s: F ms; Adam a×, VOGN v× the floor". */
    static String describe(double gflop, double sgemm, Stats adam, Stats vogn) {
        double floorMs = gflop / sgemm * 1e3;
        return String.format(Locale.ROOT, "%.3f GFLOP per step; floor at %.0f GFLOP/s: %.1f ms; Adam %.2fx, VOGN %.2fx the floor",
                gflop, sgemm, floorMs, adam.median() / floorMs, vogn.median() / floorMs);
    }
}
