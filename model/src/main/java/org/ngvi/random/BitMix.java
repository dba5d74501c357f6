package org.ngvi.random;

/**
 * 64-bit finalisers for deriving seeds and for counter-based generators. All arithmetic wraps
 * modulo 2⁶⁴, so values are the same on every JVM (and in NumPy's uint64).
 */
public final class BitMix {
    /** SplitMix64's increment γ = ⌊2⁶⁴/φ⌋ (odd). */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private BitMix() {
    }

    /**
     * SplitMix64's output function (Stafford's "Mix13"):
     * z ← (z ⊕ z≫30)·0xbf58476d1ce4e5b9; z ← (z ⊕ z≫27)·0x94d049bb133111eb; z ⊕ z≫31.
     * A SplitMix64 generator at state s returns {@code mix13(s += GOLDEN_GAMMA)}.
     */
    public static long mix13(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * MurmurHash3's 64-bit finaliser {@code fmix64}:
     * z ← (z ⊕ z≫33)·0xff51afd7ed558ccd; z ← (z ⊕ z≫33)·0xc4ceb9fe1a85ec53; z ⊕ z≫33.
     */
    public static long fmix64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** Uniform on [0, 1) from the top 53 bits of {@code bits}. */
    public static double unitDouble(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
