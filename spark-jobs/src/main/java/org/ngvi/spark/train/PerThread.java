package org.ngvi.spark.train;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * One instance of a stateful helper (an optimizer with its scratch buffers) per thread, created
 * lazily, for objects that Spark shares between threads. In local mode a broadcast value is the
 * very same object on the driver and in every task, so anything holding scratch memory must not
 * be shared through it. Serializable as its factory; the instances are never serialized.
 */
final class PerThread<T> implements Serializable {
    /** A serializable factory. */
    interface Factory<T> extends Supplier<T>, Serializable {
    }

    private final Factory<T> factory;
    private transient volatile ThreadLocal<T> local;

    PerThread(Factory<T> factory) {
        this.factory = factory;
    }

    T get() {
        ThreadLocal<T> l = local;
        if (l == null) {
            synchronized (this) {
                if (local == null) {
                    local = ThreadLocal.withInitial(factory);
                }
                l = local;
            }
        }
        return l.get();
    }
}
