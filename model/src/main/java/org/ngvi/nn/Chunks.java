package org.ngvi.nn;

/**
 * Per-thread heap staging for the layers' elementwise passes: a few {@code double[]} chunks of
 * {@link #SIZE} values (grown on demand when one run is longer, e.g. a whole pooling plane) and
 * one {@code float[]} through which {@link DenseAccess} widens and narrows FLOAT arrays. A pass
 * moves a chunk of each operand to the heap with {@link DenseAccess#get(int, double[], int, int)},
 * runs a plain loop the JIT vectorises, and writes the result back with one bulk copy; chunks of
 * a few thousand values stay in L1/L2 between the copies.
 *
 * <p>Chunk k ({@link #chunk}) of one thread is always the same array, so a layer may hold up to
 * {@link #COUNT} distinct chunks at once; nothing is allocated once every size has been seen.
 * Layers run on one thread at a time (networks are not thread-safe), so a per-thread pool is safe.
 */
public final class Chunks {
    /** Values per chunk. */
    public static final int SIZE = 2048;
    /** Distinct double chunks per thread. */
    public static final int COUNT = 4;

    private static final ThreadLocal<Chunks> LOCAL = ThreadLocal.withInitial(Chunks::new);

    private final double[][] doubles = new double[COUNT][SIZE];
    private float[] floats = new float[SIZE];

    private Chunks() {
    }

    /** This thread's chunk {@code k} (0 ≤ k &lt; {@link #COUNT}) with room for at least {@code len} values. */
    public static double[] chunk(int k, int len) {
        Chunks c = LOCAL.get();
        if (c.doubles[k].length < len) {
            c.doubles[k] = new double[Math.max(len, SIZE)];
        }
        return c.doubles[k];
    }

    /** This thread's chunk {@code k} of {@link #SIZE} values (or more). */
    public static double[] chunk(int k) {
        return LOCAL.get().doubles[k];
    }

    /** This thread's float staging array with room for at least {@code len} values (for {@link DenseAccess}). */
    static float[] floats(int len) {
        Chunks c = LOCAL.get();
        if (c.floats.length < len) {
            c.floats = new float[len];
        }
        return c.floats;
    }
}
