package org.ngvi.curvature;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.ngvi.nn.Flatten;
import org.ngvi.nn.Layer;
import org.ngvi.nn.Linear;
import org.ngvi.nn.Relu;
import org.ngvi.nn.Tanh;
import org.ngvi.tensor.ParamSpec;

class CurvatureRegistryTest {

    /** A layer type with parameters that no rule knows (stands in for conv2d before its rule exists). */
    private static final class Unruled implements Layer {
        @Override
        public String type() {
            return "mystery_conv";
        }

        @Override
        public List<ParamSpec> paramSpecs() {
            return List.of(new ParamSpec("weight", new long[] {2, 2}));
        }

        @Override
        public long[] outputShape(long[] inputShape) {
            return inputShape;
        }

        @Override
        public void forward(INDArray in, List<INDArray> params, INDArray out, Object scratch, boolean training) {
            out.assign(in);
        }

        @Override
        public void backward(INDArray in, INDArray out, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                             List<INDArray> grads, Object scratch) {
        }

        @Override
        public ObjectNode toJson() {
            return JsonNodeFactory.instance.objectNode().put("type", type());
        }
    }

    @Test
    void layerWithParamsButNoRuleIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CurvatureRegistry.standard().ruleFor(new Unruled()));
        assertTrue(e.getMessage().contains("mystery_conv"), e.getMessage());
        assertFalse(CurvatureRegistry.standard().supports(new Unruled()));
    }

    @Test
    void parameterlessLayersNeedNoRuleAndDenseHasOne() {
        CurvatureRegistry r = CurvatureRegistry.standard();
        assertNull(r.ruleFor(new Relu()));
        assertNull(r.ruleFor(new Tanh()));
        assertNull(r.ruleFor(new Flatten()));
        assertTrue(r.ruleFor(new Linear(3, 2, true)) instanceof DenseCurvature);
        assertTrue(r.types().contains("linear"));
    }

    @Test
    void rulesCanBeAdded() {
        CurvatureRule rule = (layer, in, out, gradOut, params, layerScratch, sqGrads, ruleScratch) -> { };
        CurvatureRegistry r = CurvatureRegistry.standard().with("mystery_conv", rule);
        assertSame(rule, r.ruleFor(new Unruled()));
        assertThrows(IllegalArgumentException.class, () -> CurvatureRegistry.standard().ruleFor(new Unruled()),
                "the standard registry is unchanged");
    }
}
