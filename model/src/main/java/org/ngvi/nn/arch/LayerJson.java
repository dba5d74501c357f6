package org.ngvi.nn.arch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Fixture-format JSON objects of the layer types the architectures use. */
final class LayerJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** PyTorch's BatchNorm ε. */
    static final double BN_EPS = 1e-5;

    private LayerJson() {
    }

    /** Square-kernel {@code conv2d}: k×k, stride s, zero padding p on every side. */
    static ObjectNode conv(int in, int out, int k, int stride, int padding, boolean bias) {
        ObjectNode n = F.objectNode().put("type", "conv2d").put("in_channels", in).put("out_channels", out);
        n.putArray("kernel").add(k).add(k);
        n.putArray("stride").add(stride).add(stride);
        n.putArray("padding").add(padding).add(padding);
        return n.put("bias", bias);
    }

    static ObjectNode bn2d(int features) {
        return F.objectNode().put("type", "batchnorm2d").put("features", features).put("eps", BN_EPS);
    }

    static ObjectNode bn1d(int features) {
        return F.objectNode().put("type", "batchnorm1d").put("features", features).put("eps", BN_EPS);
    }

    static ObjectNode relu() {
        return F.objectNode().put("type", "relu");
    }

    static ObjectNode flatten() {
        return F.objectNode().put("type", "flatten");
    }

    /** k×k max pooling with stride s, no padding, floor mode. */
    static ObjectNode maxpool(int k, int stride) {
        ObjectNode n = F.objectNode().put("type", "maxpool2d");
        n.putArray("kernel").add(k).add(k);
        n.putArray("stride").add(stride).add(stride);
        return n;
    }

    static ObjectNode globalAvgPool() {
        return F.objectNode().put("type", "global_avgpool2d");
    }

    static ObjectNode linear(int in, int out) {
        return F.objectNode().put("type", "linear").put("in", in).put("out", out).put("bias", true);
    }

    /** A residual block y = relu(body(x) + shortcut(x)); {@code shortcut} {@code null} for the identity. */
    static ObjectNode residual(ArrayNode body, ArrayNode shortcut) {
        ObjectNode n = F.objectNode().put("type", "residual");
        n.set("body", body);
        if (shortcut != null) {
            n.set("shortcut", shortcut);
        }
        return n;
    }

    static ArrayNode array(ObjectNode... layers) {
        ArrayNode a = F.arrayNode();
        for (ObjectNode l : layers) {
            a.add(l);
        }
        return a;
    }
}
