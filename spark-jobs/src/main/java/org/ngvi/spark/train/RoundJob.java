package org.ngvi.spark.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.SparkException;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Runs one round's tasks as a Spark job and folds their results on the driver in partition order
 * ({@link InOrderFold}) as they arrive: unlike {@code treeAggregate}, which merges partial results
 * in completion order, the aggregate does not depend on which task finished first, was retried or
 * was slow, and the driver's folding overlaps the tasks still running. Each partition yields
 * exactly one result (the first element of its iterator).
 */
final class RoundJob {
    private RoundJob() {
    }

    /** Sees each result as it arrives, before it is folded (the driver's bookkeeping: bytes, timings). */
    interface Arrival<R> {
        void arrived(int partition, R result);
    }

    /**
     * Runs {@code results} (one element per partition) and folds them in partition order.
     *
     * @throws SparkException when the job fails (a task failed more often than Spark retries)
     */
    static <R, A> A fold(JavaRDD<R> results, A zero, BiFunction<A, R, A> add, Arrival<R> arrival) throws SparkException {
        int n = results.getNumPartitions();
        List<Object> partitions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            partitions.add(i);
        }
        LinkedBlockingQueue<Arrived<R>> queue = new LinkedBlockingQueue<>();
        SparkContext sc = results.context();
        SimpleFutureAction<BoxedUnit> job = sc.submitJob(results.rdd(), new FirstElement<>(),
                scala.collection.JavaConverters.asScalaBuffer(partitions).toSeq(), new Enqueue<>(queue), new Done());
        InOrderFold<R, A> fold = new InOrderFold<>(n, zero, add);
        try {
            while (!fold.done()) {
                Arrived<R> a = queue.poll(50, TimeUnit.MILLISECONDS);
                if (a == null) {
                    if (job.isCompleted() && queue.isEmpty()) {
                        job.get(); // throws the job's failure
                        throw new IllegalStateException("round job ended with " + fold.arrived() + " of " + n + " results");
                    }
                    continue;
                }
                if (arrival != null) {
                    arrival.arrived(a.partition, a.result);
                }
                fold.accept(a.partition, a.result);
            }
        } catch (InterruptedException e) {
            job.cancel();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the round's results", e);
        }
        job.get(); // completed: every partition reported
        return fold.result();
    }

    private record Arrived<R>(int partition, R result) {
    }

    /** The task side: a partition's single result. */
    private static final class FirstElement<R> extends AbstractFunction1<Iterator<R>, R> implements Serializable {
        @Override
        public R apply(Iterator<R> it) {
            R r = it.next();
            if (it.hasNext()) {
                throw new IllegalStateException("a round task returned more than one result");
            }
            return r;
        }
    }

    /** The driver side, on Spark's scheduler thread: hand the result to the folding thread and return at once. */
    private static final class Enqueue<R> extends AbstractFunction2<Object, R, BoxedUnit> {
        private final LinkedBlockingQueue<Arrived<R>> queue;

        Enqueue(LinkedBlockingQueue<Arrived<R>> queue) {
            this.queue = queue;
        }

        @Override
        public BoxedUnit apply(Object index, R result) {
            queue.add(new Arrived<>((Integer) index, result));
            return BoxedUnit.UNIT;
        }
    }

    private static final class Done extends AbstractFunction0<BoxedUnit> {
        @Override
        public BoxedUnit apply() {
            return BoxedUnit.UNIT;
        }
    }
}
