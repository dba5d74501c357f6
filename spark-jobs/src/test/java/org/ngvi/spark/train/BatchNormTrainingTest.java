package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.data.DatasetManifest;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.optim.Objective;
import org.ngvi.optim.Vogn;
import org.ngvi.optim.VognState;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.spark.config.ConfigException;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.optim.Posteriors;
import org.ngvi.spark.testing.SyntheticImages;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.FlatValues;

/**
 * A network with BatchNorm in the Spark trainer on {@code local[1]}: the optimizer state and the
 * running statistics equal the single-process loop's (average and sync mode, VOGN and Adam), the
 * checkpoint carries the running statistics and evaluation reads them back; with
 * {@code optim_args.non_reg_for_bn} VOGN never samples the BatchNorm γ and β.
 */
class BatchNormTrainingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[1]");
        data = SyntheticImages.prepare(spark, tmp, "train", 160, 4, 13);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** batchnorm2d(1) · flatten · linear 144→16 · batchnorm1d(16) · relu · linear 16→classes, on [1, 12, 12]. */
    static NetworkSpec bnSpec(DatasetManifest m) {
        ArrayNode layers = JSON.createArrayNode();
        layers.addObject().put("type", "batchnorm2d").put("features", 1);
        layers.addObject().put("type", "flatten");
        layers.addObject().put("type", "linear").put("in", 144).put("out", 16).put("bias", true);
        layers.addObject().put("type", "batchnorm1d").put("features", 16).put("momentum", 0.2);
        layers.addObject().put("type", "relu");
        layers.addObject().put("type", "linear").put("in", 16).put("out", m.numClasses()).put("bias", true);
        return new NetworkSpec(new long[] {1, SyntheticImages.SIZE, SyntheticImages.SIZE}, layers, "cross_entropy");
    }

    static RunSetup setup(TrainConfig c, DatasetManifest m, long[] partitionCounts) {
        NetworkSpec spec = bnSpec(m);
        BatchPlan plan = new BatchPlan(c.seed(), partitionCounts, c.batchSize(), c.localSteps());
        return new RunSetup(spec, c.dtype(), TrainJob.normalization(c, m), plan, c.optim().params(m.rows(), spec, plan.stepsPerEpoch()),
                c.sync(), c.seed());
    }

    static void assertTensorsClose(FlatTensor expected, FlatTensor actual, double rtol, String what) {
        assertNotNull(actual, what);
        assertEquals(expected.layout(), actual.layout(), what);
        FlatValues x = FlatValues.of(expected);
        FlatValues y = FlatValues.of(actual);
        double scale = 0;
        double err = 0;
        for (int i = 0; i < x.length(); i++) {
            scale = Math.max(scale, Math.abs(x.get(i)));
            err = Math.max(err, Math.abs(x.get(i) - y.get(i)));
        }
        assertTrue(err <= rtol * scale, what + ": max |difference| " + err + " exceeds " + rtol + " × " + scale);
    }

    private void check(TrainConfig c, double rtol) throws Exception {
        Path runDir = tmp.resolve("bn-" + c.optim().name() + "-" + c.aggregation() + "-" + c.dtype());
        try (ImageDataset train = ImageDataset.open(spark, data, 1, c.seed())) {
            RunSetup setup = setup(c, train.manifest(), train.partitionCounts());
            ParameterAveragingTrainer.Outcome spark1 = new ParameterAveragingTrainer(spark, setup, c.epochs(), 0, 64,
                    new PrintStream(new ByteArrayOutputStream()))
                    .train(train, null, RunDirectory.create(runDir, false), JSON.createObjectNode());
            List<Example> rows = train.examples().collect();
            SingleProcessTrainer.Trained single = SingleProcessTrainer.trainModel(setup, rows.toArray(new Example[0]), c.epochs());
            assertTrue(single.state().step() > 0);
            TrainerTestSupport.assertStatesClose(single.state(), spark1.state(), rtol);
            assertTensorsClose(single.runningStats(), spark1.runningStats(), rtol, "running statistics");

            // the running statistics moved away from their initial values (mean 0, variance 1)
            Network net = Network.build(setup.spec(), setup.dataType());
            INDArray moved = spark1.runningStats().flat().sub(net.initialRunningStats().flat());
            assertTrue(moved.amaxNumber().doubleValue() > 1e-3, "running statistics were updated");

            // the checkpoint holds them exactly; the evaluation posterior carries them
            ModelCheckpoint ckpt = CheckpointFile.read(runDir.resolve(RunDirectory.CHECKPOINT));
            assertNotNull(ckpt.runningStats(), "checkpoint has the running statistics");
            assertEquals(net.runningStatsLayout(), ckpt.runningStats().layout());
            assertEquals(spark1.runningStats().flat(), ckpt.runningStats().flat());
            GaussianPosterior q = Posteriors.of(ckpt);
            assertEquals(ckpt.runningStats().flat(), q.runningStats().flat());

            // evaluation with them: a network given the checkpoint's statistics predicts differently than with the initial ones
            INDArray x = Nd4j.rand(setup.dataType(), 3, 1, SyntheticImages.SIZE, SyntheticImages.SIZE);
            INDArray initial = net.forward(q.mean(), x, false).dup();
            net.setRunningStats(q.runningStats());
            INDArray trained = net.forward(q.mean(), x, false).dup();
            assertTrue(initial.sub(trained).amaxNumber().doubleValue() > 1e-3, "eval forward uses the running statistics");
        }
    }

    @Test
    void vognAveragingWithLocalStepsFloat64() throws Exception {
        check(TrainerTestSupport.config("dtype=float64", "local_steps=3", "epochs=2"), 1e-9);
    }

    @Test
    void vognSyncFloat64() throws Exception {
        check(TrainerTestSupport.config("aggregation=sync", "dtype=float64", "epochs=1"), 1e-9);
    }

    @Test
    void adamAveragingFloat32() throws Exception {
        check(TrainerTestSupport.config("optim_name=Adam", "optim_args={\"lr\": 0.01}", "curv_args={}", "local_steps=2"), 1e-4);
    }

    @Test
    void vognWithNonRegForBnAndValidationReadsTheRunningStatistics() throws Exception {
        TrainConfig c = TrainerTestSupport.config("optim_args.non_reg_for_bn=true", "dtype=float64", "epochs=1");
        try (ImageDataset train = ImageDataset.open(spark, data, 1, c.seed())) {
            RunSetup setup = setup(c, train.manifest(), train.partitionCounts());
            ParameterAveragingTrainer.Outcome out = new ParameterAveragingTrainer(spark, setup, c.epochs(), 3, 64,
                    new PrintStream(new ByteArrayOutputStream())).train(train, train, null, JSON.createObjectNode());
            assertTrue(out.validation().metrics().accuracy() > 0.25, "validation ran: " + out.validation().summary());
            List<Example> rows = train.examples().collect();
            SingleProcessTrainer.Trained single = SingleProcessTrainer.trainModel(setup, rows.toArray(new Example[0]), c.epochs());
            TrainerTestSupport.assertStatesClose(single.state(), out.state(), 1e-9);
            assertTensorsClose(single.runningStats(), out.runningStats(), 1e-9, "running statistics");
        }
    }

    /** Records the θ of every evaluation of the wrapped objective. */
    private static final class Recording implements Objective {
        final Objective inner;
        final List<FlatTensor> thetas = new ArrayList<>();

        Recording(Objective inner) {
            this.inner = inner;
        }

        @Override
        public double evaluate(FlatTensor theta, FlatTensor grad, FlatTensor sqGrad) {
            thetas.add(theta.copy());
            return inner.evaluate(theta, grad, sqGrad);
        }
    }

    @Test
    void nonRegForBnKeepsBatchNormParametersUnsampledAndWithoutPrior() throws Exception {
        TrainConfig c = TrainerTestSupport.config("optim_args.non_reg_for_bn=true", "dtype=float64");
        assertTrue(c.json().contains("\"non_reg_for_bn\":true"), c.json());
        try (ImageDataset train = ImageDataset.open(spark, data, 1, c.seed())) {
            RunSetup setup = setup(c, train.manifest(), train.partitionCounts());
            Vogn vogn = (Vogn) setup.optimizer().create();
            Set<String> bnParams = Set.of("0.weight", "0.bias", "3.weight", "3.bias");
            assertEquals(bnParams, vogn.params().noPriorParams());

            Network net = Network.build(setup.spec(), DataType.DOUBLE);
            VognState state = vogn.init(net.initParams(setup.seed()));
            Example[] rows = train.examples().collect().toArray(new Example[0]);
            org.ngvi.spark.data.BatchAssembler assembler = new org.ngvi.spark.data.BatchAssembler(setup.normalization(),
                    net.inputShape(), DataType.DOUBLE);
            INDArray x = assembler.assemble(rows, java.util.stream.IntStream.range(0, 16).toArray());
            Recording objective = new Recording(new NetworkObjective(net).setBatch(x, assembler.labels()));
            try (GaussianNoise noise = new GaussianNoise(setup.noiseSeed(0), vogn.mcSamples())) {
                for (int step = 0; step < 2; step++) {
                    FlatTensor mean = state.mean().copy();
                    objective.thetas.clear();
                    state = vogn.step(objective, state, noise).state();
                    assertEquals(vogn.params().numMcSamples(), objective.thetas.size());
                    for (FlatTensor theta : objective.thetas) {
                        for (int i = 0; i < net.layout().size(); i++) {
                            String name = net.layout().spec(i).name();
                            double diff = theta.view(i).sub(mean.view(i)).amaxNumber().doubleValue();
                            if (bnParams.contains(name)) {
                                assertEquals(0.0, diff, name + " is never sampled");
                            } else {
                                assertTrue(diff > 0, name + " is sampled");
                            }
                        }
                    }
                }
            }
            // the posterior gives them zero spread; the others keep theirs
            GaussianPosterior q = vogn.posterior(setup.spec(), state);
            for (int i = 0; i < net.layout().size(); i++) {
                String name = net.layout().spec(i).name();
                double sd = q.std().view(i).amaxNumber().doubleValue();
                assertTrue(bnParams.contains(name) ? sd == 0 : sd > 0, name + ": std " + sd);
            }
        }
        // only VOGN has a prior to drop
        ConfigException e = assertThrows(ConfigException.class, () -> TrainerTestSupport.config("optim_name=Adam",
                "optim_args={\"lr\": 0.01, \"non_reg_for_bn\": true}", "curv_args={}"));
        assertTrue(e.getMessage().contains("optim_args.non_reg_for_bn"), e.getMessage());
        // the network is needed to name the BatchNorm parameters
        TrainConfig c2 = TrainerTestSupport.config("optim_args.non_reg_for_bn=true");
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> c2.optim().params(100));
        assertTrue(e2.getMessage().contains("non_reg_for_bn"), e2.getMessage());
    }
}
