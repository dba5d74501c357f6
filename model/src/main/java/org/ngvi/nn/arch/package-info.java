/**
 * Convolutional architectures as {@link org.ngvi.nn.NetworkSpec}s in the fixture layer format:
 * LeNet-5 with and without BatchNorm, AlexNet and VGG in their CIFAR forms, and ResNet-18 with a
 * CIFAR (3×3) or ImageNet (7×7, stride 2, max pool) stem built from
 * {@link org.ngvi.nn.ResidualBlock}s. Definitions follow the PyTorch reference of "Practical Deep
 * Learning with Bayesian Principles" (Osawa et al., NeurIPS 2019; dl-with-bayes'
 * {@code models/}); each class states its exact layer list and parameter count.
 * {@link org.ngvi.nn.arch.Architectures} maps a config's {@code model} and {@code model_args}
 * plus the data's {@code [C, H, W]} and class count to a spec; sizes after the convolutional
 * part (the classifier's input width) are derived from the real layers' output shapes.
 */
package org.ngvi.nn.arch;
