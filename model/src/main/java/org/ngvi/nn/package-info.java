/**
 * Layers and sequential networks on ND4J with preallocated per-batch activations.
 *
 * <p>Conventions: activations are batch-major ({@code [B, features]} or {@code [B, C, H, W]});
 * parameters use PyTorch layouts; the deltas a network propagates backwards are the
 * per-example gradients Δᵢ = ∂ℓᵢ/∂(layer output)ᵢ of the individual losses (not divided by B),
 * while parameter gradients written by {@link org.ngvi.nn.Layer#backward} are those of the
 * mean loss L = (1/B) Σᵢ ℓᵢ. Per-example curvature rules observe (input, Δ) pairs through
 * {@link org.ngvi.nn.LayerBackwardObserver}.
 *
 * <p>Dense layers: {@link org.ngvi.nn.Linear} y = x Wᵀ + b (W {@code [out, in]}) with
 * ∂L/∂W = (1/B) Δᵀ X, ∂L/∂b = (1/B) 1ᵀ Δ and Δ_in = Δ W, each one GEMM into a preallocated
 * output; {@link org.ngvi.nn.Relu}, {@link org.ngvi.nn.Tanh} and {@link org.ngvi.nn.Flatten}
 * as fused loops. Layer types are created from JSON by {@link org.ngvi.nn.Layers}; losses
 * ({@link org.ngvi.nn.SoftmaxCrossEntropy}, {@link org.ngvi.nn.SigmoidBinaryCrossEntropy},
 * both in log-sum-exp-stable form) by {@link org.ngvi.nn.Losses}; {@link org.ngvi.nn.Mlp}
 * builds MLP specs. {@link org.ngvi.nn.Dropout} (inverted dropout) is a
 * {@link org.ngvi.nn.StochasticLayer}: its random stream lives in its scratch and
 * {@link org.ngvi.nn.Network#reseedNoise} restarts it (per training step; per MC-dropout pass).
 *
 * <p>Normalisation: {@link org.ngvi.nn.BatchNorm} ({@code batchnorm1d}, {@code batchnorm2d}) with
 * batch statistics in training passes and running statistics otherwise. Running statistics are
 * per-layer non-trained state ({@link org.ngvi.nn.Layer#runningStatSpecs()}): the {@link org.ngvi.nn.Network} owns
 * them in one flat tensor ({@link org.ngvi.nn.Network#runningStats()}, names
 * {@code "<i>.running_mean"}, {@code "<i>.running_var"}), training forward passes update them and
 * trainers, checkpoints and predictors carry them with the weights.
 *
 * <p>Convolution and pooling (PyTorch semantics, inputs {@code [B, C, H, W]}):
 * {@link org.ngvi.nn.Conv2d} (cross-correlation with zero padding; weight {@code [O, C, kh, kw]})
 * works one example at a time through im2col: with U_i = im2col(x_i) {@code [C·kh·kw, P]}
 * ({@link org.ngvi.nn.ConvGeometry}, {@link org.ngvi.nn.Im2colBuffer}), y_i = W U_i + b 1ᵀ,
 * ∂L/∂W = (1/B) Σᵢ Δ_i U_iᵀ and Δ_in,i = col2im(Wᵀ Δ_i), each product one OpenBLAS call on the
 * example's block of the batch arrays ({@link org.ngvi.nn.BlockGemm}); memory per layer is
 * independent of B. That is the portable {@link org.ngvi.nn.ConvEngine}; when ND4J runs on
 * oneDNN (the {@code linux-x86_64-onednn} classifier) convolutions go through ND4J's
 * {@code conv2d}/{@code conv2d_bp} ops instead. A curvature rule can ask a convolution's backward
 * pass for its per-example weight gradients ({@link org.ngvi.nn.Conv2d.WeightGradientTap},
 * armed through {@link org.ngvi.nn.LayerBackwardObserver#beforeBackward}), so they are computed
 * once. Elementwise passes stage their operands in bulk through {@link org.ngvi.nn.Chunks} so
 * the JIT vectorises them. {@link org.ngvi.nn.MaxPool2d} and {@link org.ngvi.nn.AvgPool2d} (no padding,
 * floor mode, overlapping windows add their gradients; {@link org.ngvi.nn.Window2d} holds kernel,
 * stride and padding) and {@link org.ngvi.nn.GlobalAvgPool2d} ({@code [B, C, H, W]} → {@code [B, C]})
 * have no parameters.
 *
 * <p>Residual networks: {@link org.ngvi.nn.ResidualBlock} ({@code residual}) computes
 * relu(body(x) + shortcut(x)) (torchvision's BasicBlock; an empty shortcut is the identity) from
 * sub-layers of the types above, names their parameters and running statistics {@code "<i>.body.<j>.…"} /
 * {@code "<i>.shortcut.<j>.…"}, and keeps every sub-layer's input and delta so each sub-layer's own
 * curvature rule applies. Architectures (LeNet-5, AlexNet, VGG, ResNet-18) are spec builders in
 * {@link org.ngvi.nn.arch}.
 */
package org.ngvi.nn;
