package org.ngvi.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;
import org.ngvi.tensor.ParamSpec;

/** The cluster tests' comparison catches one flipped bit, in a buffer or a scalar, and ignores the provenance. */
class SameStateTest {
    private static final ParamLayout LAYOUT = new ParamLayout(List.of(new ParamSpec("0.W", new long[] {3, 2}),
            new ParamSpec("0.b", new long[] {2})));

    @TempDir
    Path tmp;

    @Test
    void equalStatesPassWhateverTheProvenance() throws Exception {
        Path a = write("a", checkpoint(0, 0.5, "local[2]"));
        Path b = write("b", checkpoint(0, 0.5, "spark://127.0.0.1:7077"));
        SameState.assertBitIdentical(a, b);
    }

    @Test
    void oneFlippedBitOfOneParameterFails() throws Exception {
        Path a = write("a", checkpoint(0, 0.5, "local[2]"));
        Path b = write("b", checkpoint(1, 0.5, "local[2]"));
        AssertionError e = assertThrows(AssertionError.class, () -> SameState.assertBitIdentical(a, b));
        assertTrue(e.getMessage().contains("tensor 'params'") && e.getMessage().contains("1 of 8 elements differ"), e.getMessage());
    }

    @Test
    void aDifferentScalarFails() throws Exception {
        Path a = write("a", checkpoint(0, 0.5, "local[2]"));
        Path b = write("b", checkpoint(0, Math.nextUp(0.5), "local[2]"));
        AssertionError e = assertThrows(AssertionError.class, () -> SameState.assertBitIdentical(a, b));
        assertTrue(e.getMessage().contains("scalars 'prior_ema'"), e.getMessage());
    }

    /** A float32 checkpoint whose params' element 5 has {@code flipBits} of its lowest mantissa bit flipped. */
    private static ModelCheckpoint checkpoint(int flipBits, double scalar, String master) {
        float[] p = {0.25f, -1.5f, 3f, 1e-3f, 7f, 0.5f, 1.25f, 2f};
        p[5] = Float.intBitsToFloat(Float.floatToRawIntBits(p[5]) ^ flipBits);
        Map<String, FlatTensor> buffers = new LinkedHashMap<>();
        buffers.put("params", FlatTensor.wrap(LAYOUT, Nd4j.createFromArray(p)));
        buffers.put("curvature", FlatTensor.wrap(LAYOUT, Nd4j.createFromArray(p).mul(2)));
        ObjectNode meta = new ObjectMapper().createObjectNode().put("spark_master", master);
        meta.putObject("config").put("seed", 5);
        return new ModelCheckpoint(null, "vogn", null, 12, buffers, Map.of("prior_ema", new double[] {scalar, 0.25}), meta);
    }

    private Path write(String name, ModelCheckpoint c) throws Exception {
        Path f = tmp.resolve(name + ".ngvi");
        CheckpointFile.write(f, c);
        return f;
    }
}
