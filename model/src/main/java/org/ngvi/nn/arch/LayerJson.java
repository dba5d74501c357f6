package org.ngvi.nn.arch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ngvi.nn.BatchNorm;

/**
 * Fixture-format JSON objects of the layer types the architectures use (also what tests build
 * networks from). Each call returns a new object, so a caller may add or overwrite fields, e.g.
 * {@code bn2d(4).put("mode", "eval")}.
 */
public final class LayerJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private LayerJson() {
    }

    /** Square-kernel {@code conv2d}: k×k, stride s, zero padding p on every side. */
    public static ObjectNode conv(int in, int out, int k, int stride, int padding, boolean bias) {
        ObjectNode n = F.objectNode().put("type", "conv2d").put("in_channels", in).put("out_channels", out);
        n.putArray("kernel").add(k).add(k);
        n.putArray("stride").add(stride).add(stride);
        n.putArray("padding").add(padding).add(padding);
        return n.put("bias", bias);
    }

    /** {@code batchnorm2d} with PyTorch's ε, following the training flag. */
    public static ObjectNode bn2d(int features) {
        return F.objectNode().put("type", BatchNorm.TYPE_2D).put("features", features).put("eps", BatchNorm.DEFAULT_EPS);
    }

    /** {@code batchnorm1d} with PyTorch's ε, following the training flag. */
    public static ObjectNode bn1d(int features) {
        return F.objectNode().put("type", BatchNorm.TYPE_1D).put("features", features).put("eps", BatchNorm.DEFAULT_EPS);
    }

    /** A layer given by its type alone ({@code relu}, {@code tanh}, {@code flatten}, ...). */
    public static ObjectNode of(String type) {
        return F.objectNode().put("type", type);
    }

    /** {@code relu}. */
    public static ObjectNode relu() {
        return of("relu");
    }

    /** {@code flatten}. */
    public static ObjectNode flatten() {
        return of("flatten");
    }

    /** k×k max pooling with stride s, no padding, floor mode. */
    public static ObjectNode maxpool(int k, int stride) {
        ObjectNode n = F.objectNode().put("type", "maxpool2d");
        n.putArray("kernel").add(k).add(k);
        n.putArray("stride").add(stride).add(stride);
        return n;
    }

    /** {@code global_avgpool2d}. */
    public static ObjectNode globalAvgPool() {
        return of("global_avgpool2d");
    }

    /** {@code linear} in → out with bias. */
    public static ObjectNode linear(int in, int out) {
        return linear(in, out, true);
    }

    /** {@code linear} in → out, with or without bias. */
    public static ObjectNode linear(int in, int out, boolean bias) {
        return F.objectNode().put("type", "linear").put("in", in).put("out", out).put("bias", bias);
    }

    /** A residual block y = relu(body(x) + shortcut(x)); {@code shortcut} {@code null} for the identity. */
    public static ObjectNode residual(ArrayNode body, ArrayNode shortcut) {
        ObjectNode n = F.objectNode().put("type", "residual");
        n.set("body", body);
        if (shortcut != null) {
            n.set("shortcut", shortcut);
        }
        return n;
    }

    /** The layers as a JSON array, in order. */
    public static ArrayNode array(ObjectNode... layers) {
        ArrayNode a = F.arrayNode();
        for (ObjectNode l : layers) {
            a.add(l);
        }
        return a;
    }
}
