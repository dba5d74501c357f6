package org.ngvi.posterior;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;

/**
 * Everything needed to resume training or to predict: the network, the optimizer and its
 * hyper-parameters, and the optimizer state's tensors. Written and read by {@link CheckpointFile}; the
 * optimizers convert their states to and from it ({@code Optimizer#toCheckpoint},
 * {@code Optimizer#restore}; {@code OptimizerRegistry#fromCheckpoint} finds the optimizer).
 *
 * <p>All tensors share one {@link ParamLayout} and data type (FLOAT or DOUBLE). The record holds
 * the given tensors and arrays without copying them (a checkpoint is a snapshot to write now);
 * the maps and JSON nodes are copied.
 *
 * @param spec            the network ({@code null} when the objective is not a network, e.g. in tests)
 * @param optimizer       optimizer name: {@code "vogn"}, {@code "adam"} or {@code "sgd"}
 * @param optimizerParams the optimizer's params record as JSON
 * @param step            optimizer steps taken
 * @param tensors         the state's named flat tensors in a fixed order (e.g. {@code params}, {@code curvature},
 *                        {@code momentum}, {@code grad_ema} for VOGN; {@code params}, {@code m},
 *                        {@code v} for Adam); at least one
 * @param scalars         named arrays of doubles (VOGN: {@code prior_ema}, λ̄ per tensor)
 * @param metadata        free-form provenance (config, data manifest hash, seed, versions, git revision)
 * @param runningStats    the network's BatchNorm running statistics (
 *                        {@code "<i>.running_mean"}, {@code "<i>.running_var"}; layout of
 *                        {@code Network#runningStatsLayout()}, same data type as {@code tensors}), or
 *                        {@code null} when the network has none
 */
public record ModelCheckpoint(NetworkSpec spec, String optimizer, ObjectNode optimizerParams, long step,
                              Map<String, FlatTensor> tensors, Map<String, double[]> scalars,
                              ObjectNode metadata, FlatTensor runningStats) {
    /** A checkpoint of a network without running statistics ({@code runningStats} = {@code null}). */
    public ModelCheckpoint(NetworkSpec spec, String optimizer, ObjectNode optimizerParams, long step,
                           Map<String, FlatTensor> tensors, Map<String, double[]> scalars, ObjectNode metadata) {
        this(spec, optimizer, optimizerParams, step, tensors, scalars, metadata, null);
    }

    public ModelCheckpoint {
        if (optimizer == null || optimizer.isEmpty()) {
            throw new IllegalArgumentException("ModelCheckpoint.optimizer must be a non-empty name");
        }
        if (step < 0) {
            throw new IllegalArgumentException("ModelCheckpoint.step must be >= 0 (got " + step + ")");
        }
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("ModelCheckpoint.tensors must hold at least one tensor");
        }
        optimizerParams = optimizerParams == null ? new ObjectMapper().createObjectNode() : optimizerParams.deepCopy();
        metadata = metadata == null ? new ObjectMapper().createObjectNode() : metadata.deepCopy();
        ParamLayout layout = null;
        DataType dtype = null;
        for (Map.Entry<String, FlatTensor> e : tensors.entrySet()) {
            FlatTensor t = e.getValue();
            if (e.getKey() == null || e.getKey().isEmpty() || t == null) {
                throw new IllegalArgumentException("ModelCheckpoint.tensors: empty name or null tensor '" + e.getKey() + "'");
            }
            if (t.dataType() != DataType.FLOAT && t.dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("ModelCheckpoint.tensors['" + e.getKey() + "']: data type "
                        + t.dataType() + " is not FLOAT or DOUBLE");
            }
            if (layout == null) {
                layout = t.layout();
                dtype = t.dataType();
            } else if (!layout.equals(t.layout()) || dtype != t.dataType()) {
                throw new IllegalArgumentException("ModelCheckpoint.tensors['" + e.getKey() + "'] has layout "
                        + t.layout() + " / " + t.dataType() + ", but the first tensor has " + layout + " / " + dtype);
            }
        }
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        Map<String, double[]> sc = new LinkedHashMap<>();
        if (scalars != null) {
            for (Map.Entry<String, double[]> e : scalars.entrySet()) {
                if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
                    throw new IllegalArgumentException("ModelCheckpoint.scalars: empty name or null array '" + e.getKey() + "'");
                }
                sc.put(e.getKey(), e.getValue());
            }
        }
        scalars = Collections.unmodifiableMap(sc);
        if (runningStats != null && runningStats.dataType() != dtype) {
            throw new IllegalArgumentException("ModelCheckpoint.runningStats are " + runningStats.dataType()
                    + " but the optimizer tensors are " + dtype);
        }
    }

    /** This checkpoint with the running statistics {@code b} (not copied; {@code null}: none). */
    public ModelCheckpoint withRunningStats(FlatTensor b) {
        return new ModelCheckpoint(spec, optimizer, optimizerParams, step, tensors, scalars, metadata, b);
    }

    @Override
    public ObjectNode optimizerParams() {
        return optimizerParams.deepCopy();
    }

    @Override
    public ObjectNode metadata() {
        return metadata.deepCopy();
    }

    /** The layout every tensor has. */
    public ParamLayout layout() {
        return tensors.values().iterator().next().layout();
    }

    /** FLOAT or DOUBLE, the data type of every tensor. */
    public DataType dataType() {
        return tensors.values().iterator().next().dataType();
    }

    /** The tensor called {@code name}; a clear error naming the ones present when missing. */
    public FlatTensor tensor(String name) {
        FlatTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("checkpoint (optimizer " + optimizer + ") has no tensor '" + name
                    + "' (has " + tensors.keySet() + ")");
        }
        return t;
    }

    /** The scalar array called {@code name}; a clear error when missing. */
    public double[] scalars(String name) {
        double[] a = scalars.get(name);
        if (a == null) {
            throw new IllegalArgumentException("checkpoint (optimizer " + optimizer + ") has no scalar array '" + name
                    + "' (has " + scalars.keySet() + ")");
        }
        return a;
    }

    /** Throws a clear error unless this checkpoint was written by optimizer {@code name}. */
    public void requireOptimizer(String name) {
        if (!optimizer.equals(name)) {
            throw new IllegalArgumentException("checkpoint was written by optimizer '" + optimizer
                    + "', expected '" + name + "'");
        }
    }
}
