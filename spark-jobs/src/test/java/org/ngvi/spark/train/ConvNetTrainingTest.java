package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.optim.OptimizerState;
import org.ngvi.posterior.CheckpointFile;
import org.ngvi.posterior.ModelCheckpoint;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.testing.SyntheticImages;

/**
 * A convolutional network from the config ({@code model: lenet5_bn}, LeNet-5 with BatchNorm on the
 * 12×12 synthetic images) trains through the Spark trainer on {@code local[1]}: VOGN equals the
 * single-process loop, the checkpoint carries the conv network, and Adam learns the task.
 */
class ConvNetTrainingTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path train;
    static Path val;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[1]");
        train = SyntheticImages.prepare(spark, tmp, "train", 192, 4, 21);
        val = SyntheticImages.prepare(spark, tmp, "val", 128, 4, 22);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void vognOnLenetBatchNormEqualsTheSingleProcessLoop() throws Exception {
        TrainConfig c = TrainerTestSupport.config("model_args={}", "model=lenet5_bn", "aggregation=sync", "dtype=float64",
                "epochs=1");
        Path runDir = tmp.resolve("run-vogn-lenet");
        try (ImageDataset data = ImageDataset.open(spark, train, 1, c.seed())) {
            RunSetup setup = TrainerTestSupport.setup(c, data.manifest(), data.partitionCounts());
            assertEquals("conv2d", setup.spec().layers().get(0).get("type").asText());
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            ParameterAveragingTrainer.Outcome out = new ParameterAveragingTrainer(spark, setup, c.epochs(), 0, 64,
                    new PrintStream(console)).train(data, null, RunDirectory.create(runDir, false), new ObjectMapper().createObjectNode());
            List<Example> rows = data.examples().collect();
            OptimizerState single = SingleProcessTrainer.train(setup, rows.toArray(new Example[0]), c.epochs());
            assertEquals(setup.plan().roundsPerEpoch(), single.step());
            TrainerTestSupport.assertStatesClose(single, out.state(), 1e-9);
            assertNotNull(out.runningStats(), "BatchNorm running statistics come back from the trainer");

            ModelCheckpoint ckpt = CheckpointFile.read(runDir.resolve(RunDirectory.CHECKPOINT));
            assertEquals(setup.spec(), ckpt.spec());
            List<String> lines = Files.readAllLines(runDir.resolve(RunDirectory.METRICS));
            assertEquals(setup.plan().roundsPerEpoch(), lines.size());
            for (String l : lines) {
                double loss = new ObjectMapper().readTree(l).get("train_loss").asDouble();
                assertTrue(Double.isFinite(loss) && loss > 0, l);
            }
        }
    }

    @Test
    void adamTrainsLenetToWellAboveChance() throws Exception {
        TrainConfig c = TrainerTestSupport.config("model_args={}", "model=lenet5_bn", "optim_name=Adam",
                "optim_args={\"lr\": 0.01, \"val_num_mc_samples\": 0}", "curv_args={}", "epochs=3");
        try (ImageDataset data = ImageDataset.open(spark, train, 1, c.seed());
             ImageDataset v = ImageDataset.open(spark, val, 1, c.seed())) {
            RunSetup setup = TrainerTestSupport.setup(c, data.manifest(), data.partitionCounts());
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            ParameterAveragingTrainer.Outcome out = new ParameterAveragingTrainer(spark, setup, c.epochs(), 0, 64,
                    new PrintStream(console)).train(data, v, null, new ObjectMapper().createObjectNode());
            assertEquals(3L * setup.plan().roundsPerEpoch(), out.state().step());
            double accuracy = out.validation().metrics().accuracy();
            assertTrue(accuracy >= 0.6, "validation accuracy " + accuracy + " (chance 0.25)\n" + console);
        }
    }
}
