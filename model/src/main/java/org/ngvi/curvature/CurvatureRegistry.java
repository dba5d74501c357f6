package org.ngvi.curvature;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.ngvi.nn.BatchNorm;
import org.ngvi.nn.Conv2d;
import org.ngvi.nn.Layer;
import org.ngvi.nn.Linear;
import org.ngvi.nn.ResidualBlock;

/**
 * The one place mapping a layer type to its {@link CurvatureRule} (BackPACK's extension
 * dispatch). Parameterless layers (relu, tanh, flatten, pools) need no rule; a layer with
 * parameters but no registered rule is a clear error naming its type. Immutable.
 */
public final class CurvatureRegistry {
    private static final CurvatureRegistry STANDARD = new CurvatureRegistry(Map.of(Linear.TYPE, new DenseCurvature(),
            BatchNorm.TYPE_1D, new BatchNormCurvature(), BatchNorm.TYPE_2D, new BatchNormCurvature(),
            ResidualBlock.TYPE, new ResidualCurvature(), Conv2d.TYPE, new ConvCurvature()));

    private final Map<String, CurvatureRule> rules;

    private CurvatureRegistry(Map<String, CurvatureRule> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** The rules this project implements (linear, batchnorm1d, batchnorm2d, and those registered above). */
    public static CurvatureRegistry standard() {
        return STANDARD;
    }

    /** A registry with {@code rule} added for {@code type} (replacing any previous rule). */
    public CurvatureRegistry with(String type, CurvatureRule rule) {
        Map<String, CurvatureRule> m = new HashMap<>(rules);
        m.put(type, rule);
        return new CurvatureRegistry(m);
    }

    /**
     * The rule for {@code layer}, or {@code null} when the layer has no parameters.
     *
     * @throws IllegalArgumentException when the layer has parameters but no rule is registered
     */
    public CurvatureRule ruleFor(Layer layer) {
        CurvatureRule r = rules.get(layer.type());
        if (r == null && !layer.paramSpecs().isEmpty()) {
            throw new IllegalArgumentException("no per-example curvature rule for layer type '" + layer.type()
                    + "' (it has parameters " + layer.paramSpecs() + "; rules exist for " + types() + ")");
        }
        return r;
    }

    /** Whether per-example curvature can be computed for {@code layer}. */
    public boolean supports(Layer layer) {
        return layer.paramSpecs().isEmpty() || rules.containsKey(layer.type());
    }

    /** Layer types with a registered rule, sorted. */
    public Set<String> types() {
        return new TreeSet<>(rules.keySet());
    }
}
