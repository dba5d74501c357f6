package org.ngvi.tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ordered parameter tensors and their offsets in one flat vector of length {@link #totalSize()}.
 * Tensor {@code i} occupies {@code [offset(i), offset(i) + spec(i).size())}. Immutable.
 */
public final class ParamLayout {
    private final List<ParamSpec> specs;
    private final long[] offsets;
    private final Map<String, Integer> index = new HashMap<>();
    private final long total;

    public ParamLayout(List<ParamSpec> specs) {
        this.specs = List.copyOf(specs);
        this.offsets = new long[this.specs.size()];
        long off = 0;
        for (int i = 0; i < this.specs.size(); i++) {
            ParamSpec s = this.specs.get(i);
            if (index.put(s.name(), i) != null) {
                throw new IllegalArgumentException("duplicate parameter name " + s.name());
            }
            offsets[i] = off;
            off += s.size();
        }
        this.total = off;
    }

    public List<ParamSpec> specs() {
        return specs;
    }

    public int size() {
        return specs.size();
    }

    public ParamSpec spec(int i) {
        return specs.get(i);
    }

    public long offset(int i) {
        return offsets[i];
    }

    /** Total number of scalars. */
    public long totalSize() {
        return total;
    }

    /** Index of the tensor called {@code name}; a clear error when there is none. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "' (have " + index.keySet() + ")");
        }
        return i;
    }

    public boolean contains(String name) {
        return index.containsKey(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamLayout p && p.specs.equals(specs);
    }

    @Override
    public int hashCode() {
        return specs.hashCode();
    }

    @Override
    public String toString() {
        return "ParamLayout" + specs;
    }
}
