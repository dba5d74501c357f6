package org.ngvi.prep.imagefolder;

/**
 * One Spark task's contiguous range {@code [start, start + paths.length)} of a split's listing.
 *
 * @param partition the task's partition, also its Parquet part file
 * @param start     index of the first image
 * @param paths     paths relative to {@code IN}
 * @param sizes     file lengths at listing time
 * @param labels    class indices
 */
record Slice(int partition, long start, String[] paths, long[] sizes, int[] labels) implements java.io.Serializable {

    /** Cuts {@code files} into {@code partitions} contiguous slices {@code [n·p/P, n·(p+1)/P)}. */
    static java.util.List<Slice> cut(java.util.List<FolderListing.ListedFile> files, int partitions) {
        int n = files.size();
        java.util.List<Slice> out = new java.util.ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int a = (int) ((long) n * p / partitions);
            int b = (int) ((long) n * (p + 1) / partitions);
            String[] paths = new String[b - a];
            long[] sizes = new long[b - a];
            int[] labels = new int[b - a];
            for (int i = a; i < b; i++) {
                FolderListing.ListedFile f = files.get(i);
                paths[i - a] = f.relativePath();
                sizes[i - a] = f.size();
                labels[i - a] = f.label();
            }
            out.add(new Slice(p, a, paths, sizes, labels));
        }
        return out;
    }
}
