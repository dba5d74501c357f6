package org.ngvi.spark.train;

import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Binds the executor thread running a Spark task to the GPU Spark assigned to that task, when ND4J
 * runs on its CUDA backend ({@code -Pcuda}). Spark's resource scheduling
 * ({@code spark.executor.resource.gpu.amount}, {@code spark.task.resource.gpu.amount},
 * {@code spark.executor.resource.gpu.discoveryScript=bin/gpu-discovery.sh}) hands each task the
 * addresses of its GPUs in {@code TaskContext.resources().get("gpu")}; the first one becomes the
 * thread's ND4J device ({@code AffinityManager.unsafeSetDevice}), once per thread and again only when
 * a later task on the thread was given another device. Without a task context (driver, single-process
 * training), without GPU resources or on the CPU backend it does nothing.
 */
public final class GpuBinding {
    /** Spark's name of the resource (the discovery script's {@code "name"}). */
    public static final String RESOURCE = "gpu";
    /** No device: the CPU backend, or a task without GPUs. */
    public static final int NONE = -1;

    private static final ThreadLocal<Integer> BOUND = ThreadLocal.withInitial(() -> NONE);

    private GpuBinding() {
    }

    /**
     * Binds the current thread to its task's GPU when there is one and ND4J computes on CUDA.
     *
     * @return the ND4J device the thread computes on, or {@link #NONE}
     */
    public static int bindCurrentTask() {
        TaskContext task = TaskContext.get();
        if (task == null || !cudaBackend()) {
            return NONE;
        }
        int device = assignedDevice(task.resourcesJMap());
        if (device != NONE && BOUND.get() != device) {
            Nd4j.getAffinityManager().unsafeSetDevice(device);
            BOUND.set(device);
        }
        return device;
    }

    /**
     * The device of a task's resources: the first address of {@value #RESOURCE}, or {@link #NONE} when it
     * has none.
     *
     * @throws IllegalArgumentException when an address is not a non-negative integer (nvidia-smi's index)
     */
    static int assignedDevice(Map<String, ResourceInformation> resources) {
        ResourceInformation gpu = resources == null ? null : resources.get(RESOURCE);
        return gpu == null ? NONE : firstDevice(gpu.addresses());
    }

    /** The first of {@code addresses} as a device index, or {@link #NONE} when there is none. */
    static int firstDevice(String[] addresses) {
        if (addresses == null || addresses.length == 0) {
            return NONE;
        }
        try {
            int d = Integer.parseInt(addresses[0].trim());
            if (d >= 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Spark task resource '" + RESOURCE + "': address '" + addresses[0]
                + "' is not a device index (expected a non-negative integer, as bin/gpu-discovery.sh reports nvidia-smi's index)");
    }

    /** Whether ND4J runs on its CUDA backend ({@code JCublasBackend} of nd4j-cuda-11.6). */
    public static boolean cudaBackend() {
        return Nd4j.getBackend().getClass().getName().contains("JCublas");
    }
}
