package org.ngvi.curvature;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ngvi.fixtures.TensorAssert.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.fixtures.FixtureFile;
import org.ngvi.nn.Dropout;
import org.ngvi.nn.Layer;
import org.ngvi.nn.Layers;
import org.ngvi.nn.Network;
import org.ngvi.tensor.FlatTensor;

/**
 * Every {@code curv_*.json} fixture: loss, logits, mean gradient and mean squared per-example
 * gradient of every parameter, in DOUBLE (rtol 1e-6) and FLOAT (rtol 1e-3), all of the one
 * training pass whose loss is L. Dropout layers replay the file's {@code dropout_masks}
 * ({@link Network#fixDropoutMask}). No fixture is skipped: one naming a layer type without an
 * implementation or a curvature rule fails with the fixture's name and the missing types, and so
 * do an unreadable fixture and a dropout layer without its mask.
 */
class CurvatureFixtureTest {

    @TestFactory
    Stream<DynamicTest> everyCurvatureFixture() {
        List<Path> files = FixtureFile.list("curv_");
        assertFalse(files.isEmpty(), "no curv_*.json in " + FixtureFile.directory());
        List<DynamicTest> tests = new ArrayList<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            tests.add(DynamicTest.dynamicTest(name + " [DOUBLE, rtol 1e-6]", () -> check(p, DataType.DOUBLE, 1e-6)));
            tests.add(DynamicTest.dynamicTest(name + " [FLOAT, rtol 1e-3]", () -> check(p, DataType.FLOAT, 1e-3)));
        }
        return tests.stream();
    }

    @Test
    void aLayerTypeWithoutImplementationFailsNamingFileAndType(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("curv_swish.json");
        Files.writeString(p, "{\"layers\":[{\"type\":\"linear\",\"in\":2,\"out\":2,\"bias\":true},{\"type\":\"swish\"}],"
                + "\"loss\":\"cross_entropy\",\"input\":{\"shape\":[1,2],\"data\":[1,2]},\"labels\":[1],\"params\":{},"
                + "\"expected\":{}}");
        AssertionError e = assertThrows(AssertionError.class, () -> check(p, DataType.DOUBLE, 1e-6));
        assertTrue(e.getMessage().contains("curv_swish.json") && e.getMessage().contains("[swish]"), e.getMessage());
    }

    @Test
    void aDropoutLayerWithoutItsMaskFailsNamingTheFile(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("curv_nomask.json");
        Files.writeString(p, "{\"layers\":[{\"type\":\"dropout\",\"p\":0.5},{\"type\":\"linear\",\"in\":2,\"out\":2,\"bias\":false}],"
                + "\"loss\":\"cross_entropy\",\"input\":{\"shape\":[1,2],\"data\":[1,2]},\"labels\":[1],"
                + "\"params\":{\"1.weight\":{\"shape\":[2,2],\"data\":[1,2,3,4]}},\"expected\":{}}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> check(p, DataType.DOUBLE, 1e-6));
        assertTrue(e.getMessage().contains("curv_nomask.json") && e.getMessage().contains("dropout_masks"), e.getMessage());
        // a mask for a layer that is not dropout is also refused
        Files.writeString(p, Files.readString(p).replace("\"expected\":{}", "\"dropout_masks\":{\"0\":{\"shape\":[1,2],\"data\":[1,0]},"
                + "\"1\":{\"shape\":[1,2],\"data\":[1,0]}},\"expected\":{}"));
        IllegalStateException other = assertThrows(IllegalStateException.class, () -> check(p, DataType.DOUBLE, 1e-6));
        assertTrue(other.getMessage().contains("dropout_masks.1") && other.getMessage().contains("not dropout"), other.getMessage());
    }

    /** Layer types of the fixture that have no layer implementation or no curvature rule. */
    static Set<String> unsupportedTypes(FixtureFile f, CurvatureRegistry registry) {
        Set<String> out = new TreeSet<>();
        JsonNode layers = f.require("layers");
        for (int i = 0; i < layers.size(); i++) {
            String type = layers.get(i).path("type").asText();
            if (!Layers.isKnown(type)) {
                out.add(type);
            } else {
                Layer l = Layers.fromJson(layers.get(i), f.fileName() + " layers[" + i + "]");
                if (!registry.supports(l)) {
                    out.add(type);
                }
            }
        }
        return out;
    }

    /**
     * Gives every dropout layer with p &gt; 0 its mask from {@code dropout_masks} ({@code {"<i>":
     * tensor [B, ...] of 0/1}}, 1 = kept); a dropout layer without one, a mask for another layer
     * or a value other than 0/1 fails naming the file.
     */
    static void fixDropoutMasks(FixtureFile f, Network net, long batch) {
        JsonNode masks = f.root().path("dropout_masks");
        for (int i = 0; i < net.layers().size(); i++) {
            if (net.layers().get(i) instanceof Dropout d && d.isRandom() && !masks.has(Integer.toString(i))) {
                throw new IllegalStateException("fixture " + f.fileName() + ": layer " + i + " is " + d
                        + " but dropout_masks has no entry \"" + i + "\"");
            }
        }
        for (java.util.Iterator<String> it = masks.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String where = "dropout_masks." + key;
            INDArray m = f.tensor(masks.get(key), DataType.DOUBLE, where);
            if (m.size(0) != batch) {
                throw new IllegalStateException("fixture " + f.fileName() + ": " + where + " has " + m.size(0)
                        + " rows for a batch of " + batch);
            }
            double[] v = m.data().asDouble();
            boolean[] keep = new boolean[v.length];
            for (int j = 0; j < v.length; j++) {
                if (v[j] != 0 && v[j] != 1) {
                    throw new IllegalStateException("fixture " + f.fileName() + ": " + where + ".data[" + j + "] is " + v[j]
                            + ", expected 0 (dropped) or 1 (kept)");
                }
                keep[j] = v[j] == 1;
            }
            int layer;
            try {
                layer = Integer.parseInt(key);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("fixture " + f.fileName() + ": " + where + ": key must be a layer index", e);
            }
            try {
                net.fixDropoutMask(layer, keep);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("fixture " + f.fileName() + ": " + where + ": " + e.getMessage(), e);
            }
        }
    }

    static void check(Path path, DataType dtype, double rtol) {
        FixtureFile f = FixtureFile.read(path);
        CurvatureRegistry registry = CurvatureRegistry.standard();
        Set<String> unsupported = unsupportedTypes(f, registry);
        assertTrue(unsupported.isEmpty(), () -> f.fileName() + " uses layer types without an implementation or curvature rule: "
                + unsupported + " (layers: " + Layers.types() + ", rules: " + registry.types() + ")");

        Network net = Network.build(f.spec(), dtype);
        FlatTensor theta = f.fill(FlatTensor.zeros(net.layout(), dtype), f.require("params"), "params", true);
        if (net.hasRunningStats()) { // BatchNorm running statistics ("<i>.running_mean", "<i>.running_var")
            net.setRunningStats(f.fill(FlatTensor.zeros(net.runningStatsLayout(), dtype), f.require("params"), "params", true));
        }
        INDArray x = f.input(dtype);
        int[] y = f.labels();
        JsonNode expected = f.require("expected");
        fixDropoutMasks(f, net, x.size(0));

        NetworkObjective objective = new NetworkObjective(net, registry).setBatch(x, y);
        FlatTensor grad = FlatTensor.zeros(net.layout(), dtype);
        FlatTensor sq = FlatTensor.zeros(net.layout(), dtype);
        // poison the outputs: evaluate must overwrite every entry
        grad.flat().assign(Double.NaN);
        sq.flat().assign(Double.NaN);
        double loss = objective.evaluate(theta, grad, sq);
        String tag = f.fileName() + " [" + dtype + "] ";
        assertClose(f.require(expected, "loss_mean", "expected.loss_mean").asDouble(), loss, rtol, tag + "loss_mean");

        FlatTensor expGrad = f.fill(FlatTensor.zeros(net.layout(), dtype), f.require(expected, "grad_mean", "expected.grad_mean"),
                "expected.grad_mean", false);
        FlatTensor expSq = f.fill(FlatTensor.zeros(net.layout(), dtype), f.require(expected, "sq_grad_mean", "expected.sq_grad_mean"),
                "expected.sq_grad_mean", false);
        for (int i = 0; i < net.layout().size(); i++) {
            String p = net.layout().spec(i).name();
            assertClose(expGrad.view(i), grad.view(i), rtol, tag + "grad_mean " + p);
            assertClose(expSq.view(i), sq.view(i), rtol, tag + "sq_grad_mean " + p);
        }

        INDArray logits = net.forward(theta, x, true); // the same training pass (same masks)
        assertClose(f.tensor(f.require(expected, "logits", "expected.logits"), DataType.DOUBLE, "expected.logits"), logits, rtol,
                tag + "logits");
    }
}
