package org.ngvi.nn.arch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import org.ngvi.args.JsonArgs;
import java.util.Set;
import org.ngvi.nn.NetworkSpec;

/**
 * The architecture registry: a model name, its {@code model_args}, the per-example input shape
 * {@code [C, H, W]} and the number of classes give a {@link NetworkSpec} (softmax cross-entropy).
 *
 * <table>
 *   <caption>models</caption>
 *   <tr><th>name</th><th>{@code model_args}</th><th>network</th></tr>
 *   <tr><td>{@code lenet5}</td><td>{@code padding} (first conv; default 2 below 32×32, else 0)</td><td>{@link LeNet5}</td></tr>
 *   <tr><td>{@code lenet5_bn}</td><td>{@code padding}</td><td>{@link LeNet5} with BatchNorm</td></tr>
 *   <tr><td>{@code alexnet}</td><td>none</td><td>{@link AlexNet}, CIFAR form</td></tr>
 *   <tr><td>{@code vgg11}, {@code vgg13}, {@code vgg16}, {@code vgg19}</td><td>{@code batch_norm} (default true)</td><td>{@link Vgg}, CIFAR form</td></tr>
 *   <tr><td>{@code resnet18}</td><td>{@code stem}: {@code auto} (default), {@code cifar}, {@code imagenet}</td><td>{@link ResNet18}</td></tr>
 * </table>
 * The MLP ({@code mlp}) is built by {@link org.ngvi.nn.Mlp} on the flattened input and is not
 * part of this registry.
 */
public final class Architectures {
    private static final List<String> NAMES = List.of("lenet5", "lenet5_bn", "alexnet", "vgg11", "vgg13", "vgg16", "vgg19",
            "resnet18");

    private Architectures() {
    }

    /** The registered model names, in documentation order. */
    public static List<String> names() {
        return NAMES;
    }

    public static boolean isKnown(String name) {
        return NAMES.contains(name);
    }

    /**
     * Validates {@code args} for model {@code name} without building anything (config checking).
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws org.ngvi.args.ArgumentException        for an unknown field or a bad value
     */
    public static void checkArgs(String name, JsonNode args) {
        parse(name, args);
    }

    /**
     * The network of model {@code name}.
     *
     * @param args       the {@code model_args} object (may be {@code null}: defaults)
     * @param inputShape per-example {@code [C, H, W]}
     * @param classes    K ≥ 2
     * @throws IllegalArgumentException for an unknown name, a bad input shape or an input too small for the model
     * @throws org.ngvi.args.ArgumentException        for an unknown field or a bad value in {@code args}
     */
    public static NetworkSpec spec(String name, JsonNode args, long[] inputShape, int classes) {
        Parsed p = parse(name, args);
        if (inputShape.length != 3 || inputShape[0] <= 0 || inputShape[1] <= 0 || inputShape[2] <= 0) {
            throw new IllegalArgumentException(name + ": input shape must be [C, H, W] of positive sizes, got "
                    + Arrays.toString(inputShape));
        }
        if (classes < 2) {
            throw new IllegalArgumentException(name + ": needs at least 2 classes, got " + classes);
        }
        return p.build(inputShape, classes);
    }

    private interface Parsed {
        NetworkSpec build(long[] chw, int classes);
    }

    private static JsonArgs args(String model, JsonNode args, Set<String> allowed) {
        return new JsonArgs("model_args", "model '" + model + "'", args, allowed);
    }

    private static Parsed parse(String name, JsonNode args) {
        return switch (name) {
            case "lenet5", "lenet5_bn" -> {
                JsonArgs a = args(name, args, Set.of("padding", "dropout"));
                Integer padding = a.optionalNonNegativeInt("padding");
                double dropout = a.probability("dropout", 0);
                boolean bn = name.equals("lenet5_bn");
                yield (chw, k) -> LeNet5.spec(chw, k, bn, padding != null ? padding : LeNet5.defaultPadding(chw), dropout);
            }
            case "alexnet" -> {
                args(name, args, Set.of());
                yield AlexNet::spec;
            }
            case "vgg11", "vgg13", "vgg16", "vgg19" -> {
                boolean bn = args(name, args, Set.of("batch_norm")).bool("batch_norm", true);
                int depth = Integer.parseInt(name.substring(3));
                yield (chw, k) -> Vgg.spec(depth, bn, chw, k);
            }
            case "resnet18" -> {
                String stem = args(name, args, Set.of("stem")).choice("stem", "auto", List.of("auto", "cifar", "imagenet"));
                yield (chw, k) -> ResNet18.spec(switch (stem) {
                    case "cifar" -> ResNet18.Stem.CIFAR;
                    case "imagenet" -> ResNet18.Stem.IMAGENET;
                    default -> ResNet18.Stem.forInput(chw);
                }, chw, k);
            }
            default -> throw new IllegalArgumentException("unknown model '" + name + "' (known: mlp, " + String.join(", ", NAMES) + ")");
        };
    }
}
