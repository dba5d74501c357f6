package org.ngvi.spark.train;

import java.util.function.BiFunction;

/**
 * Folds n indexed results in index order whatever order they arrive in: a result whose
 * predecessors have all arrived is folded at once, a result that arrives early waits in a slot
 * until they have. The fold therefore sees results 0, 1, …, n − 1 exactly in that order, so a
 * floating-point aggregate is bit-identical however the tasks were scheduled, retried or delayed,
 * and folding overlaps the arrival of later results. Not thread-safe: one thread feeds it.
 *
 * @param <R> a result
 * @param <A> the aggregate
 */
final class InOrderFold<R, A> {
    private final Object[] waiting;
    private final BiFunction<A, R, A> add;
    private A acc;
    private int next;
    private int arrived;

    /**
     * @param n    number of results, indexed 0..n−1
     * @param zero the empty aggregate
     * @param add  folds one result into the aggregate (may return the same, mutated, object)
     */
    InOrderFold(int n, A zero, BiFunction<A, R, A> add) {
        this.waiting = new Object[n];
        this.acc = zero;
        this.add = add;
    }

    /** Offers result {@code index}; folds it and every waiting successor now in order. */
    @SuppressWarnings("unchecked")
    void accept(int index, R result) {
        if (index < 0 || index >= waiting.length) {
            throw new IllegalArgumentException("result index " + index + " outside [0, " + waiting.length + ")");
        }
        if (index < next || waiting[index] != null) {
            throw new IllegalStateException("result " + index + " arrived twice");
        }
        waiting[index] = result;
        arrived++;
        while (next < waiting.length && waiting[next] != null) {
            acc = add.apply(acc, (R) waiting[next]);
            waiting[next] = null;
            next++;
        }
    }

    /** Whether all n results have been folded. */
    boolean done() {
        return next == waiting.length;
    }

    /** Results offered so far. */
    int arrived() {
        return arrived;
    }

    /** The aggregate of all n results. */
    A result() {
        if (!done()) {
            throw new IllegalStateException(next + " of " + waiting.length + " results folded; " + arrived + " arrived");
        }
        return acc;
    }
}
