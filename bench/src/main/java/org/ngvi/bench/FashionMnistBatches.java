package org.ngvi.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.data.PixelNormalization;
import org.ngvi.prep.idx.IdxReader;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;

/** Real Fashion-MNIST training images read from the IDX files, as examples and as distinct batches. */
final class FashionMnistBatches {
    private FashionMnistBatches() {
    }

    static Example[] read(Path dir, int limit) throws IOException {
        return read(dir, "train", limit);
    }

    /** The first {@code limit} examples of the {@code train} or {@code t10k} split. */
    static Example[] read(Path dir, String split, int limit) throws IOException {
        Path images = dir.resolve(split + "-images-idx3-ubyte.gz");
        Path labels = dir.resolve(split + "-labels-idx1-ubyte.gz");
        try (IdxReader im = IdxReader.open(images, IdxReader.IMAGES_MAGIC); IdxReader lb = IdxReader.open(labels, IdxReader.LABELS_MAGIC)) {
            int n = (int) Math.min(limit, im.header().count());
            Example[] out = new Example[n];
            int size = (int) im.header().recordBytes();
            for (int i = 0; i < n; i++) {
                byte[] px = new byte[size];
                im.readRecord(px);
                out[i] = new Example(i, lb.readLabel(), px);
            }
            return out;
        }
    }

    /** {@code count} distinct batches of {@code batch} consecutive examples, each its own array. */
    static List<Batch> batches(Example[] examples, int batch, int count) {
        PixelNormalization norm = PixelNormalization.unitScale(28, 28, 1);
        List<Batch> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            BatchAssembler a = new BatchAssembler(norm, new long[] {784}, DataType.FLOAT);
            int[] pos = new int[batch];
            for (int i = 0; i < batch; i++) {
                pos[i] = (b * batch + i) % examples.length;
            }
            INDArray x = a.assemble(examples, pos);
            out.add(new Batch(x, a.labels().clone()));
        }
        return out;
    }

    record Batch(INDArray x, int[] labels) {
    }
}
