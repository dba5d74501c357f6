package org.ngvi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.tensor.FlatTensor;

/**
 * Asserts that two checkpoints hold the same training state bit for bit: optimizer, step, hyper-parameters, the
 * config they were trained with, every tensor (raw IEEE bits of every element), every scalar array and the BatchNorm running
 * statistics. The provenance around them (Spark master, creation time) may differ.
 */
final class SameState {
    private SameState() {
    }

    static void assertBitIdentical(Path expectedFile, Path actualFile) throws IOException {
        ModelCheckpoint e = CheckpointFile.read(expectedFile);
        ModelCheckpoint a = CheckpointFile.read(actualFile);
        String what = actualFile + " vs " + expectedFile;
        assertEquals(e.optimizer(), a.optimizer(), what + ": optimizer");
        assertEquals(e.step(), a.step(), what + ": step");
        assertEquals(e.optimizerParams(), a.optimizerParams(), what + ": optimizer params");
        assertEquals(e.metadata().get("config"), a.metadata().get("config"), what + ": config");
        assertEquals(e.tensors().keySet(), a.tensors().keySet(), what + ": tensor names");
        for (Map.Entry<String, FlatTensor> b : e.tensors().entrySet()) {
            assertSameBits(b.getValue(), a.tensor(b.getKey()), what + ": tensor '" + b.getKey() + "'");
        }
        assertEquals(e.scalars().keySet(), a.scalars().keySet(), what + ": scalar names");
        for (Map.Entry<String, double[]> s : e.scalars().entrySet()) {
            assertSameBits(s.getValue(), a.scalars(s.getKey()), what + ": scalars '" + s.getKey() + "'");
        }
        assertEquals(e.runningStats() == null, a.runningStats() == null, what + ": running statistics present");
        if (e.runningStats() != null) {
            assertSameBits(e.runningStats(), a.runningStats(), what + ": running statistics");
        }
    }

    private static void assertSameBits(FlatTensor e, FlatTensor a, String what) {
        assertEquals(e.layout(), a.layout(), what + ": layout");
        assertEquals(e.dataType(), a.dataType(), what + ": data type");
        double[] x = e.flat().data().asDouble();
        double[] y = a.flat().data().asDouble();
        if (e.dataType() == DataType.FLOAT) {
            float[] xf = e.flat().data().asFloat();
            float[] yf = a.flat().data().asFloat();
            for (int i = 0; i < xf.length; i++) {
                if (Float.floatToRawIntBits(xf[i]) != Float.floatToRawIntBits(yf[i])) {
                    throw new AssertionError(what + ": " + differences(x, y) + "; first at element " + i + ": "
                            + xf[i] + " vs " + yf[i]);
                }
            }
        } else {
            assertSameBits(x, y, what);
        }
    }

    private static void assertSameBits(double[] x, double[] y, String what) {
        assertEquals(x.length, y.length, what + ": length");
        for (int i = 0; i < x.length; i++) {
            if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
                throw new AssertionError(what + ": " + differences(x, y) + "; first at element " + i + ": " + x[i] + " vs " + y[i]);
            }
        }
    }

    /** How many elements differ and by how much at most, for the failure message. */
    private static String differences(double[] x, double[] y) {
        int n = 0;
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
                n++;
                max = Math.max(max, Math.abs(x[i] - y[i]));
            }
        }
        return n + " of " + x.length + " elements differ (largest |difference| " + max + ")";
    }
}
