/**
 * Benchmarks reported as ratios measured in one run: VOGN step / Adam step for the MLP at batch
 * 128 (cycling through real Fashion-MNIST batches, variants interleaved, medians with p10/p90),
 * and examples/s of Spark {@code local[2]} training against single-process training; the data
 * and conv-net benchmarks; and the reference checks: the shipped configs over many seeds
 * ({@link org.ngvi.bench.ReferenceMatch}) and a float64 run the PyTorch transcription of torchsso
 * in {@code bench/torch-reference} replays from the same weights, batches and noise
 * ({@link org.ngvi.bench.CrossCheck}, {@link org.ngvi.bench.CounterNoise}); and our trainers beside
 * DL4J Spark's parameter averaging ({@link org.ngvi.bench.Dl4jSparkComparison},
 * {@link org.ngvi.bench.Dl4jSparkBaseline}).
 */
package org.ngvi.bench;
