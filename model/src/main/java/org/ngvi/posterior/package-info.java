/**
 * The Gaussian posterior and the training-state file format.
 *
 * <p>{@link org.ngvi.posterior.ModelCheckpoint} is a training state (network spec, optimizer
 * name and params, step, the state's named flat tensors, named scalar arrays, BatchNorm running statistics, provenance metadata);
 * {@link org.ngvi.posterior.CheckpointFile} stores it; {@link org.ngvi.posterior.GaussianPosterior}
 * is the q(θ) = N(μ, diag(std²)) used for Monte-Carlo prediction. The optimizers in
 * {@code org.ngvi.optim} convert their states to and from checkpoints (this package does not
 * depend on them).
 *
 * <h2>Checkpoint file format, version 2</h2>
 * No Java serialization: a fixed prefix, a JSON header, raw little-endian numbers, a checksum.
 * <table>
 * <caption>Byte layout (all integers little-endian)</caption>
 * <tr><th>offset</th><th>size</th><th>content</th></tr>
 * <tr><td>0</td><td>8</td><td>magic, ASCII {@code NGVICKPT}</td></tr>
 * <tr><td>8</td><td>4</td><td>format version, int32 (2; 1 for files without running statistics
 *     written before version 2 existed)</td></tr>
 * <tr><td>12</td><td>4</td><td>header length H in bytes, int32</td></tr>
 * <tr><td>16</td><td>H</td><td>header, UTF-8 JSON (below)</td></tr>
 * <tr><td>16 + H</td><td>D</td><td>data: every state tensor in header order, each the layout's
 *     {@code total_size} values in flat (layout, row-major) order as IEEE-754 float32 or float64,
 *     little-endian; tensor {@code b} starts at {@code 16 + H + b.offset}; then, when present, the
 *     running statistics (their own layout's {@code total_size} values, same type) at
 *     {@code 16 + H + network_buffers.offset}</td></tr>
 * <tr><td>16 + H + D</td><td>4</td><td>CRC32 ({@link java.util.zip.CRC32}) of bytes
 *     [0, 16 + H + D), uint32</td></tr>
 * </table>
 * The file is exactly 16 + H + D + 4 bytes long.
 *
 * <p>Header fields: {@code format} ("ngvi-checkpoint"), {@code format_version} (2),
 * {@code byte_order} ("little_endian"), {@code dtype} ("float32" | "float64"),
 * {@code layout} ([{"name", "shape": [..]}, ...], the {@link org.ngvi.tensor.ParamLayout}
 * shared by all state tensors), {@code buffers} (the state tensors: [{"name", "offset", "bytes"}], offsets relative to
 * the data section), {@code network_buffers} (version 2: null, or
 * {"layout": [{"name", "shape"}, ...], "offset", "bytes"} for the network's
 * BatchNorm running statistics {@code "<i>.running_mean"}, {@code "<i>.running_var"}, stored
 * after the state tensors), {@code data_bytes} (D, including the running statistics), {@code network} (the
 * {@link org.ngvi.nn.NetworkSpec} JSON or null), {@code optimizer} ("vogn" | "adam" | "sgd"),
 * {@code optimizer_params} (the params record's JSON), {@code step}, {@code scalars}
 * ({name: [doubles]}, e.g. VOGN's {@code prior_ema}), {@code metadata} (free-form provenance).
 * Doubles in JSON are written in shortest round-trip form, so they read back exactly.
 *
 * <p>State tensors by optimizer (the JSON keys {@code buffers} and {@code network_buffers} keep
 * their version-1 names so that every earlier file stays readable): VOGN {@code params} (μ), {@code curvature} (s), {@code momentum},
 * {@code grad_ema}, scalars {@code prior_ema} (λ̄ per tensor; σ is recomputed on restore);
 * Adam {@code params}, {@code m}, {@code v}; SGD {@code params}, {@code momentum}.
 *
 * <p>Writing is atomic: a temporary file in the target directory is written, fsynced and
 * renamed over the target, then the directory is fsynced ({@link org.ngvi.io.AtomicFiles}). Reading rejects, with an
 * {@link java.io.IOException} naming the file: a wrong magic ("not an ngvi checkpoint"),
 * another format version, a truncated file, trailing bytes, a malformed header and a checksum
 * mismatch. A reader of a later version must keep reading the earlier ones: version 1 is version 2
 * without {@code network_buffers} (read as none).
 */
package org.ngvi.posterior;
