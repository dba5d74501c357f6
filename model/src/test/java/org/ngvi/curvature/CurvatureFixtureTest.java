package org.ngvi.curvature;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ngvi.fixtures.TensorAssert.assertClose;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.fixtures.FixtureFile;
import org.ngvi.nn.Layer;
import org.ngvi.nn.Layers;
import org.ngvi.nn.Network;
import org.ngvi.tensor.FlatTensor;

/**
 * Every {@code curv_*.json} fixture: loss, logits, mean gradient and mean squared per-example
 * gradient of every parameter, in DOUBLE (rtol 1e-6) and FLOAT (rtol 1e-3). No fixture is
 * skipped: one naming a layer type without an implementation or a curvature rule fails with the
 * fixture's name and the missing types, and so does an unreadable fixture.
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

    private static void check(Path path, DataType dtype, double rtol) {
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

        INDArray logits = net.forward(theta, x, false);
        assertClose(f.tensor(f.require(expected, "logits", "expected.logits"), DataType.DOUBLE, "expected.logits"), logits, rtol,
                tag + "logits");
    }
}
