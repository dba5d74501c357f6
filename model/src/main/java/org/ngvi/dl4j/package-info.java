/**
 * Interoperability with Deeplearning4j 1.0.0-M2 ({@code MultiLayerNetwork}).
 *
 * <p>{@link org.ngvi.dl4j.Dl4jImport} reads a DL4J {@code MultiLayerConfiguration} as a
 * {@link org.ngvi.nn.NetworkSpec} (so a DL4J user trains the same network with VOGN) and copies a
 * DL4J network's parameters into ours; {@link org.ngvi.dl4j.Dl4jExport} writes our parameters
 * (the posterior mean) and BatchNorm running statistics into a DL4J network built from the
 * imported configuration or from an equivalent generated one, so that
 * {@code MultiLayerNetwork.output(x)} = softmax(our logits) (sigmoid for one binary logit).
 *
 * <p>Layer mapping: DenseLayer ↔ linear (DL4J W {@code [nIn, nOut]} = our {@code [out, in]}ᵀ) plus
 * relu/tanh; OutputLayer softmax + MCXENT/NEGATIVELOGLIKELIHOOD ↔ linear + {@code cross_entropy},
 * sigmoid + XENT ↔ {@code bce_with_logits}; ConvolutionLayer ↔ conv2d (W {@code [out, in, kh, kw]} in
 * both, NCHW); SubsamplingLayer MAX/AVG ↔ maxpool2d/avgpool2d; BatchNormalization ↔ batchnorm1d/2d
 * (momentum = 1 − decay; {@code var}, or {@code log10stdev} = log₁₀ √var, ↔ running_var);
 * ActivationLayer ↔ relu/tanh; GlobalPoolingLayer AVG ↔ global_avgpool2d;
 * CnnToFeedForwardPreProcessor (NCHW, (C, H, W) row-major, like {@code torch.flatten}) ↔ flatten.
 * Unsupported layers and settings are errors naming the DL4J layer index and class.
 */
package org.ngvi.dl4j;
