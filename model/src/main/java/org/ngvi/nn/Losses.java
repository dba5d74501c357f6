package org.ngvi.nn;

import java.util.Set;
import java.util.TreeSet;

/** The loss registry: fixture loss names to {@link Loss} instances. */
public final class Losses {
    private Losses() {
    }

    /**
     * @param name {@code "cross_entropy"} or {@code "bce_with_logits"}
     * @throws IllegalArgumentException naming the unknown loss and the supported ones
     */
    public static Loss byName(String name) {
        if (SoftmaxCrossEntropy.NAME.equals(name)) {
            return new SoftmaxCrossEntropy();
        }
        if (SigmoidBinaryCrossEntropy.NAME.equals(name)) {
            return new SigmoidBinaryCrossEntropy();
        }
        throw new IllegalArgumentException("unsupported loss '" + name + "' (supported: " + names() + ")");
    }

    public static Set<String> names() {
        return new TreeSet<>(Set.of(SoftmaxCrossEntropy.NAME, SigmoidBinaryCrossEntropy.NAME));
    }
}
