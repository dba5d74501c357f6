package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.nn.Layer;
import org.ngvi.nn.Network;
import org.ngvi.optim.OptimizerState;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.testing.SyntheticImages;

/**
 * Training an MLP with dropout stays reproducible: masks are seeded by (run seed, partition, step),
 * so one partition on Spark equals the single-process loop, and two distributed runs are identical.
 */
class DropoutTrainingTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        data = SyntheticImages.prepare(spark, tmp, "train", 160, 4, 13);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static OptimizerState sparkRun(TrainConfig c, int partitions, String name) throws Exception {
        try (ImageDataset train = ImageDataset.open(spark, data, partitions, c.seed())) {
            RunSetup setup = TrainerTestSupport.setup(c, train.manifest(), train.partitionCounts());
            return new ParameterAveragingTrainer(spark, setup, c.epochs(), 0, 64, new PrintStream(new ByteArrayOutputStream()))
                    .train(train, null, RunDirectory.create(tmp.resolve(name), true), new ObjectMapper().createObjectNode()).state();
        }
    }

    private static void oneTaskEqualsSingleProcess(TrainConfig c, double rtol, String name) throws Exception {
        OptimizerState distributed = sparkRun(c, 1, name);
        try (ImageDataset train = ImageDataset.open(spark, data, 1, c.seed())) {
            RunSetup setup = TrainerTestSupport.setup(c, train.manifest(), train.partitionCounts());
            assertEquals(List.of("linear", "relu", "dropout", "linear"),
                    Network.build(setup.spec(), setup.dataType()).layers().stream().map(Layer::type).toList());
            List<Example> rows = train.examples().collect();
            OptimizerState single = SingleProcessTrainer.train(setup, rows.toArray(new Example[0]), c.epochs());
            TrainerTestSupport.assertStatesClose(single, distributed, rtol);
        }
    }

    @Test
    void adamWithDropoutOnOneTaskEqualsSingleProcess() throws Exception {
        oneTaskEqualsSingleProcess(TrainerTestSupport.config("optim_name=Adam", "optim_args={\"lr\": 0.01}", "curv_args={}",
                "dtype=float64", "local_steps=2", "model_args.dropout=0.5"), 1e-9, "adam-one");
    }

    @Test
    void vognSyncWithDropoutOnOneTaskEqualsSingleProcess() throws Exception {
        oneTaskEqualsSingleProcess(TrainerTestSupport.config("aggregation=sync", "model_args.dropout=0.3"), 1e-4, "vogn-one");
    }

    @Test
    void distributedDropoutTrainingIsReproducibleAndDropoutChangesIt() throws Exception {
        TrainConfig c = TrainerTestSupport.config("optim_name=Adam", "optim_args={\"lr\": 0.01}", "curv_args={}",
                "dtype=float64", "model_args.dropout=0.5", "epochs=2");
        OptimizerState a = sparkRun(c, 2, "adam-a");
        OptimizerState b = sparkRun(c, 2, "adam-b");
        TrainerTestSupport.assertStatesClose(a, b, 0.0);
        OptimizerState none = sparkRun(TrainerTestSupport.config("optim_name=Adam", "optim_args={\"lr\": 0.01}", "curv_args={}",
                "dtype=float64", "epochs=2"), 2, "adam-none");
        assertEquals(a.step(), none.step());
        assertNotEquals(a.tensors().get("params").flat(), none.tensors().get("params").flat(),
                "dropout masks change the training trajectory");
    }

    @Test
    void maskSeedsDifferByPartitionAndStep() {
        TrainConfig c = TrainerTestSupport.config("model_args.dropout=0.5");
        try (ImageDataset train = ImageDataset.open(spark, data, 2, c.seed())) {
            RunSetup setup = TrainerTestSupport.setup(c, train.manifest(), train.partitionCounts());
            long s00 = setup.dropoutSeed(0, 0);
            assertEquals(s00, setup.dropoutSeed(0, 0));
            assertTrue(s00 != setup.dropoutSeed(1, 0) && s00 != setup.dropoutSeed(0, 1));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
