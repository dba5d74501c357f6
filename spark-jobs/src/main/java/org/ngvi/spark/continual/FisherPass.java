package org.ngvi.spark.continual;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.curvature.NetworkObjective;
import org.ngvi.data.PixelNormalization;
import org.ngvi.nn.Network;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.FlatValues;

/**
 * The diagonal empirical Fisher of a data set at weights θ, F = (1/n) Σᵢ (∇ℓᵢ(θ))² over all n
 * examples, what EWC consolidates after a task ({@link org.ngvi.optim.Ewc}). Each Spark task sums
 * B·ĥ over its partition's batches (ĥ = (1/B) Σᵢ gᵢ², the exact per-example squares of the
 * curvature rules, as VOGN's), {@code treeAggregate} adds the sums and counts, the driver divides.
 * Deterministic: no sampling, batches in partition order, no augmentation.
 */
public final class FisherPass {
    private FisherPass() {
    }

    private record Setup(NetworkSpec spec, String dtype, PixelNormalization normalization, int batch, FlatValues theta)
            implements Serializable {
        DataType dataType() {
            return dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
        }
    }

    /** Σ B·ĥ and the example count of one or more partitions. */
    private record Sum(double[] sum, long examples) implements Serializable {
        Sum add(Sum o) {
            if (sum == null) {
                return o;
            }
            if (o.sum == null) {
                return this;
            }
            double[] s = sum.clone();
            for (int i = 0; i < s.length; i++) {
                s[i] += o.sum[i];
            }
            return new Sum(s, examples + o.examples);
        }
    }

    /**
     * F of {@code data} at {@code theta}, in the run's precision.
     *
     * @param batch examples per forward/backward pass (any: the result does not depend on it but for rounding)
     */
    public static FlatTensor compute(SparkSession spark, ImageDataset data, NetworkSpec spec, String dtype,
                                     PixelNormalization normalization, FlatTensor theta, int batch) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Setup> bc = jsc.broadcast(new Setup(spec, dtype, normalization, batch, FlatValues.of(theta)));
        try {
            Sum total = data.examples().mapPartitions(it -> {
                List<Example> rows = new ArrayList<>();
                it.forEachRemaining(rows::add);
                return List.of(partitionSum(bc.value(), rows.toArray(new Example[0]))).iterator();
            }).treeAggregate(new Sum(null, 0), Sum::add, Sum::add);
            if (total.examples() == 0) {
                throw new IllegalArgumentException(data.dir() + ": no examples to take the Fisher information over");
            }
            double[] f = total.sum().clone();
            for (int i = 0; i < f.length; i++) {
                f[i] /= total.examples();
            }
            FlatTensor out = FlatTensor.zeros(theta.layout(), theta.dataType());
            new FlatValues.F64(f).copyInto(out);
            return out;
        } finally {
            bc.destroy();
        }
    }

    private static Sum partitionSum(Setup s, Example[] rows) {
        if (rows.length == 0) {
            return new Sum(null, 0);
        }
        Network network = Network.build(s.spec(), s.dataType());
        NetworkObjective objective = new NetworkObjective(network);
        BatchAssembler assembler = new BatchAssembler(s.normalization(), network.inputShape(), s.dataType());
        FlatTensor theta = FlatTensor.zeros(network.layout(), s.dataType());
        s.theta().copyInto(theta);
        FlatTensor grad = FlatTensor.zeros(network.layout(), s.dataType());
        FlatTensor sq = FlatTensor.zeros(network.layout(), s.dataType());
        int[] positions = new int[rows.length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
        }
        double[] sum = new double[Math.toIntExact(network.layout().totalSize())];
        for (int from = 0; from < rows.length; from += s.batch()) {
            int to = Math.min(rows.length, from + s.batch());
            objective.setBatch(assembler.assemble(rows, positions, from, to), assembler.labels());
            objective.evaluate(theta, grad, sq);
            FlatValues h = FlatValues.of(sq);
            int b = to - from;
            for (int i = 0; i < sum.length; i++) {
                sum[i] += b * h.get(i);
            }
        }
        return new Sum(sum, rows.length);
    }
}
