package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.ngvi.data.augment.AugmentationRandom;
import org.ngvi.data.augment.Augmenter;
import org.ngvi.data.augment.ImageShape;
import org.ngvi.nn.Network;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.optim.OptimizerState;
import org.ngvi.optim.Vogn;
import org.ngvi.optim.VognParams;
import org.ngvi.optim.VognState;
import org.ngvi.spark.config.TrainConfig;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.spark.testing.SyntheticImages;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.FlatValues;

/** Training with {@code augmentation}: augmented in the tasks, reproducibly, as documented. */
class AugmentedTrainingTest {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path train;
    static Path test;

    @BeforeAll
    static void start() throws Exception {
        spark = SyntheticImages.spark("local[2]");
        train = SyntheticImages.prepare(spark, tmp, "train", 600, 10, 31);
        test = SyntheticImages.prepare(spark, tmp, "test", 200, 10, 32);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static RunSetup setup(TrainConfig c, ImageDataset data) {
        BatchPlan plan = new BatchPlan(c.seed(), data.partitionCounts(), c.batchSize(), c.localSteps());
        return new RunSetup(TrainJob.network(c, data.manifest()), c.dtype(), TrainJob.normalization(c, data.manifest()), plan,
                c.optim().params(data.manifest().rows()), c.sync(), c.seed(), c.augmentation());
    }

    private static OptimizerState trainRounds(RunSetup setup, ImageDataset data, long rounds) throws Exception {
        return new ParameterAveragingTrainer(spark, setup, 1, 0, 64, new PrintStream(new ByteArrayOutputStream()))
                .trainRounds(data, rounds);
    }

    @Test
    void syncModeEqualsVognOnTheUnionOfTheTasksAugmentedBatches() throws Exception {
        TrainConfig c = TrainerTestSupport.config("aggregation=sync", "dtype=float64", "batch_size=24",
                "augmentation=cifar", "augmentation_args.padding=3");
        try (ImageDataset data = ImageDataset.open(spark, train, 2, c.seed())) {
            RunSetup setup = setup(c, data);
            int rounds = 3;
            VognState distributed = (VognState) trainRounds(setup, data, rounds);

            // on the driver: each task's examples augmented with the documented seeds
            // (run seed, epoch, partition) → position in the epoch's permutation, then plain VOGN steps
            List<List<Example>> parts = data.examples().glom().collect();
            BatchPlan plan = setup.plan();
            Network net = Network.build(setup.spec(), setup.dataType());
            Vogn vogn = new Vogn((VognParams) setup.optimizer());
            VognState state = vogn.init(net.initParams(setup.seed()));
            NetworkObjective objective = new NetworkObjective(net);
            BatchAssembler plain = new BatchAssembler(setup.normalization(), net.inputShape(), setup.dataType());
            Augmenter augmenter = new Augmenter(c.augmentation(), new ImageShape(SyntheticImages.SIZE, SyntheticImages.SIZE, 1));
            int changed = 0;
            try (GaussianNoise noise = new GaussianNoise(setup.noiseSeed(0), vogn.mcSamples())) {
                for (int r = 0; r < rounds; r++) {
                    Example[] union = new Example[c.batchSize()];
                    int k = 0;
                    for (int p = 0; p < 2; p++) {
                        int epoch = plan.epochOf(r);
                        int[] perm = plan.permutation(epoch, p, null);
                        long stream = AugmentationRandom.streamSeed(c.seed(), epoch, p);
                        int b = plan.localBatch(p);
                        for (int i = 0; i < b; i++) {
                            int pos = plan.firstStep(r) * b + i;
                            Example e = parts.get(p).get(perm[pos]);
                            byte[] img = augmenter.apply(e.image(), AugmentationRandom.exampleSeed(stream, pos)).clone();
                            changed += java.util.Arrays.equals(img, e.image()) ? 0 : 1;
                            union[k++] = new Example(e.index(), e.label(), img);
                        }
                    }
                    INDArray x = plain.assemble(union, java.util.stream.IntStream.range(0, union.length).toArray());
                    objective.setBatch(x, plain.labels());
                    state = vogn.step(objective, state, noise).state();
                }
            }
            assertTrue(changed > rounds * c.batchSize() * 0.8, changed + " of " + rounds * c.batchSize() + " examples changed");
            TrainerTestSupport.assertStatesClose(state, distributed, 1e-9);
        }
    }

    @Test
    void averagingWithCifarAugmentationIsReproducibleAndDiffersFromNone() throws Exception {
        TrainConfig none = TrainerTestSupport.config("local_steps=3", "batch_size=16");
        TrainConfig cifar = TrainerTestSupport.config("local_steps=3", "batch_size=16", "augmentation=cifar");
        try (ImageDataset data = ImageDataset.open(spark, train, 2, none.seed())) {
            int rounds = 4;
            OptimizerState plain = trainRounds(setup(none, data), data, rounds);
            OptimizerState plainOldSetup = trainRounds(TrainerTestSupport.setup(none, data.manifest(), data.partitionCounts()), data, rounds);
            OptimizerState augmented = trainRounds(setup(cifar, data), data, rounds);
            OptimizerState again = trainRounds(setup(cifar, data), data, rounds);
            TrainerTestSupport.assertStatesClose(plainOldSetup, plain, 0);
            TrainerTestSupport.assertStatesClose(augmented, again, 0);
            FlatTensor a = plain.tensors().get("params");
            FlatTensor b = augmented.tensors().get("params");
            FlatValues x = FlatValues.of(a);
            FlatValues y = FlatValues.of(b);
            double diff = 0;
            double scale = 0;
            for (int i = 0; i < x.length(); i++) {
                diff = Math.max(diff, Math.abs(x.get(i) - y.get(i)));
                scale = Math.max(scale, Math.abs(x.get(i)));
            }
            assertTrue(diff > 1e-3 * scale, "augmentation changes training: max |Δμ| " + diff + " vs max |μ| " + scale);
        }
    }

    @Test
    void trainJobRecordsTheAugmentationInProvenance() throws Exception {
        TrainConfig c = TrainerTestSupport.config("augmentation=cifar", "augmentation_args.padding=2", "partitions=2",
                "batch_size=32", "local_steps=2");
        Path runDir = tmp.resolve("cifar-run");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ParameterAveragingTrainer.Outcome out = TrainJob.run(spark, c, train, test, RunDirectory.create(runDir, false),
                new PrintStream(console));
        JsonNode provenance = new ObjectMapper().readTree(runDir.resolve(RunDirectory.PROVENANCE).toFile());
        assertEquals("cifar", provenance.get("augmentation").get("name").asText());
        assertEquals(2, provenance.get("augmentation").get("padding").asInt());
        assertEquals(0.5, provenance.get("augmentation").get("flip_probability").asDouble());
        assertEquals("cifar", provenance.get("config").get("augmentation").asText());
        assertTrue(console.toString().contains("augmenting training examples: cifar(padding=2)"), console.toString());
        assertTrue(Double.isFinite(out.validation().metrics().nll()), "validation ran on unaugmented data");
    }
}
