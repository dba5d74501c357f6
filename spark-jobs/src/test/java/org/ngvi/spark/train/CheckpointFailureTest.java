package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.testing.SyntheticImages;

/**
 * A checkpoint that cannot be written (here: its path is a non-empty directory, so the rename
 * fails) is reported on the console and in the metrics line, training continues, and the run
 * fails only when its final checkpoint cannot be written. (That a failed write leaves the previous
 * file intact is {@code AtomicFilesTest}'s.) Also: the default policy writes per epoch, not per round.
 */
class CheckpointFailureTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[1]");
        data = SyntheticImages.prepare(spark, tmp, "train", 96, 4, 5);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void failedWritesAreReportedAndOnlyTheFinalOneFailsTheRun() throws Exception {
        TrainConfig c = TrainerTestSupport.config("epochs=2");
        Path runDir = tmp.resolve("blocked");
        RunDirectory run = RunDirectory.create(runDir, false);
        Files.createDirectories(run.checkpoint().resolve("in-the-way"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (ImageDataset train = ImageDataset.open(spark, data, 1, c.seed())) {
            RunSetup setup = TrainerTestSupport.setup(c, train.manifest(), train.partitionCounts());
            ParameterAveragingTrainer t = new ParameterAveragingTrainer(spark, setup, c.epochs(), 0, 64,
                    new PrintStream(console, true, StandardCharsets.UTF_8), CheckpointPolicy.EVERY_ROUND);
            IOException e = assertThrows(IOException.class, () -> t.train(train, null, run, new ObjectMapper().createObjectNode()));
            assertTrue(e.getMessage().contains("cannot write the final checkpoint"), e.getMessage());
            long rounds = (long) setup.plan().roundsPerEpoch() * c.epochs();
            List<String> lines = Files.readAllLines(runDir.resolve(RunDirectory.METRICS));
            assertEquals(rounds - 1, lines.size(), "every round but the last logged its line");
            assertTrue(lines.stream().allMatch(l -> l.contains("\"checkpoint_error\"")), lines.get(0));
            String out = console.toString(StandardCharsets.UTF_8);
            assertTrue(out.contains("WARNING") && out.contains("the previous checkpoint is intact"), out);
        }
    }

    @Test
    void theDefaultPolicyWritesPerEpochNotPerRound() throws Exception {
        TrainConfig c = TrainerTestSupport.config("epochs=2");
        Path runDir = tmp.resolve("default");
        RunDirectory run = RunDirectory.create(runDir, false);
        try (ImageDataset train = ImageDataset.open(spark, data, 1, c.seed())) {
            RunSetup setup = TrainerTestSupport.setup(c, train.manifest(), train.partitionCounts());
            new ParameterAveragingTrainer(spark, setup, c.epochs(), 0, 64, new PrintStream(new ByteArrayOutputStream()))
                    .train(train, null, run, new ObjectMapper().createObjectNode());
            List<String> lines = Files.readAllLines(runDir.resolve(RunDirectory.METRICS));
            int perEpoch = setup.plan().roundsPerEpoch();
            for (int i = 0; i < lines.size(); i++) {
                boolean wrote = new ObjectMapper().readTree(lines.get(i)).get("checkpoint").asBoolean();
                assertEquals((i + 1) % perEpoch == 0, wrote, "round " + (i + 1) + " of " + perEpoch + " per epoch");
            }
            assertTrue(Files.isRegularFile(run.checkpoint()));
        }
    }
}
