/**
 * Benchmarks reported as ratios measured in one run: VOGN step / Adam step for the MLP at batch
 * 128 (cycling through real Fashion-MNIST batches, variants interleaved, medians with p10/p90),
 * and examples/s of Spark {@code local[2]} training against single-process training.
 */
package org.ngvi.bench;
