package org.ngvi.dl4j;

import java.util.List;
import org.ngvi.nn.NetworkSpec;

/**
 * A DL4J {@code MultiLayerConfiguration} read as an ngvi network: the equivalent
 * {@link NetworkSpec} and where each of our parameters and buffers lives among DL4J's
 * parameters.
 *
 * @param spec      the equivalent network spec
 * @param bindings  one entry per parameter and buffer of the spec's network
 * @param flatInput whether DL4J takes the input flattened, {@code [B, C·H·W]} (a
 *                  {@code FeedForwardToCnnPreProcessor} in front, {@code InputType.convolutionalFlat}),
 *                  rather than {@code [B, C, H, W]} or {@code [B, features]}
 */
record Translation(NetworkSpec spec, List<ParamBinding> bindings, boolean flatInput) {
    Translation {
        bindings = List.copyOf(bindings);
    }
}
