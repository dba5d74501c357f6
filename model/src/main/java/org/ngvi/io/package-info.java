/**
 * File output helpers shared by every module: {@link org.ngvi.io.AtomicFiles}, the single
 * write-temp, fsync, rename, fsync-directory path for files that replace earlier versions
 * (checkpoints, run JSON, manifests, plots, exports).
 */
package org.ngvi.io;
