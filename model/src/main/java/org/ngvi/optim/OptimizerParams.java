package org.ngvi.optim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;

/**
 * The immutable, serializable hyper-parameters of one optimizer ({@link VognParams}, {@link
 * AdamParams}, {@link SgdParams}): what a run configures, a checkpoint stores ({@link #toJson()})
 * and Spark ships to executors, each of which {@link #create() creates} its own {@link Optimizer}
 * (with its own scratch tensors).
 */
public interface OptimizerParams extends Serializable {
    /** The {@link OptimizerRegistry} name of the optimizer these params configure. */
    String optimizerName();

    /** A new optimizer with these params. */
    Optimizer<?> create();

    /** α_t, the learning rate of step t + 1 (t = {@code stepsDone}). */
    double lrAt(long stepsDone);

    /** The params as the JSON a checkpoint stores; the registry's checkpoint factory inverts it. */
    ObjectNode toJson();
}
