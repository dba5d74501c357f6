package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.nn.Network;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.optim.Vogn;
import org.ngvi.optim.VognParams;
import org.ngvi.optim.VognState;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.testing.SyntheticImages;

/** The trainer on {@code local[2]}: sync mode is union-batch VOGN; averaging with K > 1 learns. */
class DistributedTrainingTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path train;
    static Path test;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        train = SyntheticImages.prepare(spark, tmp, "train", 1200, 10, 21);
        test = SyntheticImages.prepare(spark, tmp, "test", 400, 10, 22);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void syncModeEqualsSingleProcessVognOnTheUnionBatch() throws Exception {
        TrainConfig c = TrainerTestSupport.config("aggregation=sync", "dtype=float64", "batch_size=24");
        try (ImageDataset data = ImageDataset.open(spark, train, 2, c.seed())) {
            RunSetup setup = TrainerTestSupport.setup(c, data.manifest(), data.partitionCounts());
            int rounds = 4;
            // distributed: only the first `rounds` rounds (one epoch would be 50)
            ParameterAveragingTrainer trainer = new ParameterAveragingTrainer(spark, setup, 1, 0, 64, new PrintStream(new ByteArrayOutputStream()));
            VognState distributed = (VognState) trainer.trainRounds(data, rounds);

            // single process: the same initial weights and noise, one VOGN step per round on the union of both tasks' batches
            List<List<Example>> parts = data.examples().glom().collect();
            BatchPlan plan = setup.plan();
            Network net = Network.build(setup.spec(), setup.dataType());
            Vogn vogn = new Vogn((VognParams) setup.optimizer());
            VognState state = vogn.init(net.initParams(setup.seed()));
            NetworkObjective objective = new NetworkObjective(net);
            BatchAssembler assembler = new BatchAssembler(setup.normalization(), net.inputShape(), setup.dataType());
            try (GaussianNoise noise = new GaussianNoise(setup.noiseSeed(0), vogn.mcSamples())) {
                for (int r = 0; r < rounds; r++) {
                    Example[] union = new Example[c.batchSize()];
                    int k = 0;
                    for (int p = 0; p < 2; p++) {
                        int[] perm = plan.permutation(plan.epochOf(r), p, null);
                        int b = plan.localBatch(p);
                        for (int i = 0; i < b; i++) {
                            union[k++] = parts.get(p).get(perm[r * b + i]);
                        }
                    }
                    int[] all = java.util.stream.IntStream.range(0, union.length).toArray();
                    INDArray x = assembler.assemble(union, all);
                    objective.setBatch(x, assembler.labels());
                    state = vogn.step(objective, state, noise).state();
                }
            }
            assertEquals(rounds, distributed.step());
            TrainerTestSupport.assertStatesClose(state, distributed, 1e-9);
        }
    }

    @Test
    void averagingWithSeveralLocalStepsLearns() throws Exception {
        TrainConfig c = TrainerTestSupport.config("local_steps=5", "epochs=4", "batch_size=32",
                "optim_args.lr=0.05", "optim_args.num_mc_samples=1");
        try (ImageDataset data = ImageDataset.open(spark, train, 2, c.seed());
             ImageDataset val = ImageDataset.open(spark, test, 2, c.seed())) {
            RunSetup setup = TrainerTestSupport.setup(c, data.manifest(), data.partitionCounts());
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            Path runDir = tmp.resolve("avg-run");
            ParameterAveragingTrainer.Outcome out = new ParameterAveragingTrainer(spark, setup, c.epochs(), 4, 100,
                    new PrintStream(console)).train(data, val, RunDirectory.create(runDir, false), new ObjectMapper().createObjectNode());
            List<String> lines = java.nio.file.Files.readAllLines(runDir.resolve(RunDirectory.METRICS));
            ObjectMapper json = new ObjectMapper();
            double first = json.readTree(lines.get(0)).get("train_loss").asDouble();
            double lastTrain = lines.stream().map(l -> {
                try {
                    return json.readTree(l);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).filter(n -> n.has("train_loss")).reduce((a, b) -> b).orElseThrow().get("train_loss").asDouble();
            assertTrue(lastTrain < 0.6 * first, "training loss fell from " + first + " to " + lastTrain);
            assertTrue(out.validation().metrics().accuracy() > 0.6,
                    "validation accuracy " + out.validation().metrics().accuracy() + " (chance 0.1)\n" + console);
            assertEquals(4, out.validation().mcSamples());
        }
    }
}
