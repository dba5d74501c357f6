package org.ngvi.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.data.PixelNormalization;
import org.ngvi.data.augment.AugmentationRandom;
import org.ngvi.data.augment.AugmentationSpec;
import org.ngvi.data.augment.Augmenter;
import org.ngvi.data.augment.ImageShape;

/** Training batches are augmented per example, reproducibly; evaluation batches never. */
class BatchAssemblerAugmentationTest {
    private static final int H = 10;
    private static final int W = 9;
    private static final int C = 3;
    private static final PixelNormalization NORM = PixelNormalization.standardize(H, W, C,
            new double[] {100, 120, 90}, new double[] {50, 60, 70});

    private static Example[] examples(int n) {
        SplittableRandom r = new SplittableRandom(3);
        Example[] out = new Example[n];
        for (int i = 0; i < n; i++) {
            byte[] img = new byte[H * W * C];
            for (int k = 0; k < img.length; k++) {
                img[k] = (byte) (1 + r.nextInt(255));
            }
            out[i] = new Example(i, i % 10, img);
        }
        return out;
    }

    private static double[] values(BatchAssembler a, Example[] rows, int[] perm, int from, int to, Long stream) {
        var x = stream == null ? a.assemble(rows, perm, from, to) : a.assembleAugmented(rows, perm, from, to, stream);
        return x.castTo(DataType.DOUBLE).data().asDouble();
    }

    @Test
    void eachRowIsTheNormalisedAugmentedExampleOfItsPositionSeed() {
        Example[] rows = examples(40);
        int[] perm = new int[40];
        for (int i = 0; i < 40; i++) {
            perm[i] = (i * 7 + 3) % 40;
        }
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            BatchAssembler a = new BatchAssembler(NORM, new long[] {C, H, W}, dt, AugmentationSpec.cifar(4));
            long stream = AugmentationRandom.streamSeed(11, 2, 1);
            double[] got = values(a, rows, perm, 16, 24, stream);
            Augmenter reference = new Augmenter(AugmentationSpec.cifar(4), new ImageShape(H, W, C));
            int size = H * W * C;
            for (int i = 0; i < 8; i++) {
                Example e = rows[perm[16 + i]];
                float[] expected = NORM.toChw(reference.apply(e.image(), AugmentationRandom.exampleSeed(stream, 16 + i)).clone());
                for (int k = 0; k < size; k++) {
                    assertEquals(expected[k], got[i * size + k], dt == DataType.FLOAT ? 0 : 1e-6, dt + " row " + i + " value " + k);
                }
                assertEquals(e.label(), a.labels()[i]);
            }
        }
    }

    @Test
    void sameEpochAndPartitionSameBatchOtherEpochOtherBatch() {
        Example[] rows = examples(32);
        int[] perm = java.util.stream.IntStream.range(0, 32).toArray();
        BatchAssembler a = new BatchAssembler(NORM, new long[] {C * H * W}, DataType.FLOAT, AugmentationSpec.cifar(4));
        BatchAssembler b = new BatchAssembler(NORM, new long[] {C * H * W}, DataType.FLOAT, AugmentationSpec.cifar(4));
        double[] first = values(a, rows, perm, 0, 16, AugmentationRandom.streamSeed(5, 0, 0));
        double[] again = values(b, rows, perm, 0, 16, AugmentationRandom.streamSeed(5, 0, 0));
        double[] nextEpoch = values(a, rows, perm, 0, 16, AugmentationRandom.streamSeed(5, 1, 0));
        double[] otherPartition = values(a, rows, perm, 0, 16, AugmentationRandom.streamSeed(5, 0, 1));
        double[] plain = values(a, rows, perm, 0, 16, null);
        assertArrayEquals(first, again, "a retried task reproduces its batch");
        assertFalse(Arrays.equals(first, nextEpoch), "another epoch augments differently");
        assertFalse(Arrays.equals(first, otherPartition), "another partition augments differently");
        assertFalse(Arrays.equals(first, plain), "the training batch is augmented");
        int size = C * H * W;
        for (int i = 0; i < 16; i++) {
            float[] expected = NORM.toChw(rows[i].image());
            for (int k = 0; k < size; k++) {
                assertEquals(expected[k], plain[i * size + k], 0, "assemble never augments");
            }
        }
    }

    @Test
    void withoutAugmentationTrainingBatchesAreThePlainBatches() {
        Example[] rows = examples(20);
        int[] perm = java.util.stream.IntStream.range(0, 20).map(i -> 19 - i).toArray();
        BatchAssembler a = new BatchAssembler(NORM, new long[] {C, H, W}, DataType.FLOAT);
        assertEquals(AugmentationSpec.none(), a.augmentation());
        assertArrayEquals(values(a, rows, perm, 4, 12, null), values(a, rows, perm, 4, 12, 1234L));
    }
}
