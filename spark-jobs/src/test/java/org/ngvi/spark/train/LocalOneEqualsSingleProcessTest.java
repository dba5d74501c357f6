package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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

/** On {@code local[1]} (one partition) the Spark trainer equals the single-process loop. */
class LocalOneEqualsSingleProcessTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[1]");
        data = SyntheticImages.prepare(spark, tmp, "train", 160, 4, 11);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private List<String> check(TrainConfig c, double rtol) throws Exception {
        Path runDir = tmp.resolve("run-" + c.optim().name() + "-" + c.aggregation() + "-" + c.dtype() + "-" + Integer.toHexString(c.json().hashCode()));
        try (ImageDataset train = ImageDataset.open(spark, data, 1, c.seed())) {
            RunSetup setup = TrainerTestSupport.setup(c, train.manifest(), train.partitionCounts());
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            ParameterAveragingTrainer.Outcome spark1 = new ParameterAveragingTrainer(spark, setup, c.epochs(), 0, 64,
                    new PrintStream(console)).train(train, null, RunDirectory.create(runDir, false), new ObjectMapper().createObjectNode());
            List<Example> rows = train.examples().collect();
            OptimizerState single = SingleProcessTrainer.train(setup, rows.toArray(new Example[0]), c.epochs());
            assertTrue(single.step() > 0);
            TrainerTestSupport.assertStatesClose(single, spark1.state(), rtol);

            // the checkpoint holds the final state; one metrics line per round; progress printed
            ModelCheckpoint ckpt = CheckpointFile.read(runDir.resolve(RunDirectory.CHECKPOINT));
            assertEquals(single.step(), ckpt.step());
            List<String> lines = Files.readAllLines(runDir.resolve(RunDirectory.METRICS));
            assertEquals(setup.plan().roundsPerEpoch() * c.epochs(), lines.size());
            JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
            assertTrue(last.get("train_loss").asDouble() > 0 && last.get("examples_per_s").asDouble() > 0, last.toString());
            assertTrue(console.toString().contains("ETA"), console.toString());
            return lines;
        }
    }

    @Test
    void vognWithAScheduleAndMomentumCorrection() throws Exception {
        // 160 rows, batch 16, K = 3: 3 rounds of 3 steps per epoch; ExponentialLR halves the rate every epoch
        TrainConfig c = TrainerTestSupport.config("dtype=float64", "local_steps=3", "epochs=3",
                "optim_args.momentum=0.9", "scheduler_name=ExponentialLR", "scheduler_args.gamma=0.5",
                "momentum_correction=true");
        List<String> lines = check(c, 1e-9);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = json.readTree(lines.get(i));
            int epoch = line.get("epoch").asInt() - 1;
            assertEquals(0.02 * Math.pow(0.5, epoch), line.get("lr").asDouble(), 1e-15, lines.get(i));
        }
        assertEquals(3, json.readTree(lines.get(lines.size() - 1)).get("epoch").asInt());
    }

    @Test
    void vognAveragingWithLocalStepsFloat64() throws Exception {
        check(TrainerTestSupport.config("dtype=float64", "local_steps=3", "epochs=2"), 1e-9);
    }

    @Test
    void vognSyncFloat32() throws Exception {
        check(TrainerTestSupport.config("aggregation=sync", "epochs=1"), 1e-4);
    }

    @Test
    void adamAveragingFloat64() throws Exception {
        check(TrainerTestSupport.config("optim_name=Adam", "optim_args={\"lr\": 0.01}", "curv_args={}", "dtype=float64",
                "local_steps=2"), 1e-9);
    }
}
