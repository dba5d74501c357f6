package org.ngvi.bench;

import org.ngvi.nn.DenseAccess;
import org.ngvi.optim.NoiseSource;
import org.ngvi.random.BitMix;
import org.ngvi.tensor.FlatTensor;

/**
 * Standard-normal ε from a counter-based formula simple enough to write again in NumPy, so the
 * Java trainer and the PyTorch transcription ({@code bench/torch-reference/vogn_mlp.py
 * --cross-check}) can draw the same noise. For entry i of MC sample k at step t:
 * <pre>
 *   key = ((t · 1024 + k) · 2³² + i) · 2 + mix(seed)        (64-bit wrap-around)
 *   h₁ = mix(key), h₂ = mix(key + 1)                       (mix: SplitMix64's finaliser)
 *   u₁ = (⌊h₁ / 2¹¹⌋ + 1) · 2⁻⁵³ ∈ (0, 1],  u₂ = ⌊h₂ / 2¹¹⌋ · 2⁻⁵³ ∈ [0, 1)
 *   ε = √(−2 ln u₁) · cos(2π u₂)                            (Box–Muller)
 * </pre>
 * Slow (one formula per entry, no prefetch): for cross-checks, not for training.
 */
final class CounterNoise implements NoiseSource {
    private final long seedMix;

    CounterNoise(long seed) {
        this.seedMix = BitMix.mix13(seed);
    }

    @Override
    public void fill(long step, int sample, FlatTensor eps) {
        DenseAccess a = DenseAccess.of(eps.flat());
        long row = (step * 1024 + sample) << 32;
        for (int i = 0; i < a.length(); i++) {
            long key = (row + i) * 2 + seedMix;
            double u1 = ((BitMix.mix13(key) >>> 11) + 1) * 0x1.0p-53;
            double u2 = BitMix.unitDouble(BitMix.mix13(key + 1));
            a.set(i, Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
    }
}
