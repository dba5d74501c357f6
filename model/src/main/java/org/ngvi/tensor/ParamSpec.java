package org.ngvi.tensor;

import java.util.Arrays;

/**
 * Name and shape of one parameter tensor, e.g. {@code "0.weight"} with shape {@code [out, in]}
 * (PyTorch layouts throughout: Linear {@code [out, in]}, Conv2d {@code [out, in, kh, kw]}).
 *
 * @param name  unique name within a network, {@code "<layerIndex>.<localName>"}
 * @param shape the tensor's shape; defensively copied
 */
public record ParamSpec(String name, long[] shape) {
    public ParamSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("parameter name must be non-empty");
        }
        shape = shape.clone();
        for (long d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("parameter " + name + ": shape " + Arrays.toString(shape) + " has a non-positive dimension");
            }
        }
    }

    /** Number of scalars, the product of the shape. */
    public long size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
