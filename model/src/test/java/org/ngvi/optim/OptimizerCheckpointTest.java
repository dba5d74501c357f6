package org.ngvi.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.tensor.FlatTensor;

/** States → checkpoint file → states: training resumes exactly where it stopped. */
class OptimizerCheckpointTest {
    @TempDir
    Path dir;

    private static final double[] MU0 = {0.5, -0.4, 0.2, 0.9, -1.1, 0.3, 0.05, -0.6};

    private static FlatTensor mu0(DataType dt) {
        return FlatTensor.wrap(new org.ngvi.tensor.ParamLayout(List.of(
                new org.ngvi.tensor.ParamSpec("0.weight", new long[] {2, 3}),
                new org.ngvi.tensor.ParamSpec("0.bias", new long[] {2}))), Nd4j.createFromArray(MU0).castTo(dt));
    }

    /** Exact, element by element (INDArray.equals allows 1e-5). */
    private static void assertExact(FlatTensor e, FlatTensor a, String what) {
        assertEquals(e.dataType(), a.dataType(), what);
        assertArrayEquals(e.flat().castTo(DataType.DOUBLE).toDoubleVector(), a.flat().castTo(DataType.DOUBLE).toDoubleVector(),
                0.0, what);
    }

    private static NetworkSpec spec() {
        ObjectMapper json = new ObjectMapper();
        ArrayNode layers = json.createArrayNode();
        layers.addObject().put("type", "linear").put("in", 3).put("out", 2).put("bias", true);
        return new NetworkSpec(new long[] {3}, layers, "cross_entropy");
    }

    @Test
    void vognResumesBitForBitFromAFile() throws IOException {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            VognParams p = VognParams.builder(40).lr(0.05).initPrecision(null).damping(0.01).curvatureEma(0.3)
                    .momentum(0.9, VognParams.Stage.PRECONDITIONED).gradEma(0.5, VognParams.Stage.RAW)
                    .klWarmup(0.1, 4).numMcSamples(2).noPriorParams(Set.of("0.bias")).build();
            Vogn vogn = new Vogn(p);
            VognTest.Quadratic q = new VognTest.Quadratic();
            try (GaussianNoise noise = new GaussianNoise(5, 2)) {
                VognState s = vogn.init(mu0(dt));
                for (int i = 0; i < 3; i++) {
                    s = vogn.step(q, s, noise).state();
                }
                ObjectNode meta = new ObjectMapper().createObjectNode().put("seed", 5);
                Path f = dir.resolve("vogn-" + dt + ".ckpt");
                CheckpointFile.write(f, vogn.toCheckpoint(spec(), s, meta));
                ModelCheckpoint c = CheckpointFile.read(f);
                assertEquals(spec(), c.spec());
                assertEquals(5, c.metadata().get("seed").asInt());
                Vogn restoredOpt = Vogn.fromCheckpoint(c);
                assertEquals(p, restoredOpt.params());
                VognState restored = restoredOpt.restore(c);
                assertEquals(s.step(), restored.step());
                assertArrayEquals(s.priorEma(), restored.priorEma(), 0.0);
                assertExact(s.sigma(), restored.sigma(), "σ recomputed identically");
                GaussianPosterior post = restoredOpt.posterior(c.spec(), restored);
                assertExact(vogn.std(s), post.std(), "vogn.std(s)");
                // both continue identically
                VognState a = vogn.step(q, s, noise).state();
                VognState b = restoredOpt.step(q, restored, noise).state();
                for (String name : a.tensors().keySet()) {
                    assertExact(a.tensors().get(name), b.tensors().get(name), dt + " " + name);
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Adam.fromCheckpoint(c));
                assertTrue(e.getMessage().contains("'vogn'"), e.getMessage());
            }
        }
    }

    @Test
    void adamAndSgdRoundTripAsPointEstimates() throws IOException {
        VognTest.Quadratic q = new VognTest.Quadratic();
        Adam adam = new Adam(new AdamParams(0.01, 0.8, 0.99, 1e-7, 0.001));
        AdamState as = adam.init(mu0(DataType.FLOAT));
        as = adam.step(q, as, null).state();
        Path fa = dir.resolve("adam.ckpt");
        CheckpointFile.write(fa, adam.toCheckpoint(spec(), as, null));
        ModelCheckpoint ca = CheckpointFile.read(fa);
        AdamState ar = Adam.fromCheckpoint(ca).restore(ca);
        assertEquals(adam.params(), Adam.fromCheckpoint(ca).params());
        assertExact(as.params(), ar.params(), "as.params()");
        assertExact(as.m(), ar.m(), "as.m()");
        assertExact(as.v(), ar.v(), "as.v()");
        assertEquals(1, ar.step());
        GaussianPosterior pa = adam.posterior(spec(), ar);
        assertTrue(pa.isPointEstimate());

        Sgd sgd = new Sgd(new SgdParams(0.1, 0.9, 0));
        SgdState ss = sgd.step(q, sgd.init(mu0(DataType.DOUBLE)), null).state();
        Path fs = dir.resolve("sgd.ckpt");
        CheckpointFile.write(fs, sgd.toCheckpoint(spec(), ss, null));
        ModelCheckpoint cs = CheckpointFile.read(fs);
        SgdState sr = Sgd.fromCheckpoint(cs).restore(cs);
        assertExact(ss.params(), sr.params(), "ss.params()");
        assertExact(ss.momentum(), sr.momentum(), "ss.momentum()");
        FlatTensor theta = FlatTensor.zeros(sr.params().layout(), DataType.DOUBLE);
        sgd.posterior(spec(), sr).sample(FlatTensor.zeros(sr.params().layout(), DataType.DOUBLE).assign(ss.params()), theta);
        assertExact(ss.params(), theta, "a point estimate samples its mean");
    }
}
