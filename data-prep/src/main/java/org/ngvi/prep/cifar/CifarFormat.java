package org.ngvi.prep.cifar;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The two binary CIFAR layouts: which files make the train and test splits, how long a record
 * is, where its label bytes are and how many classes each label has.
 *
 * <table>
 *   <caption>layouts</caption>
 *   <tr><th></th><th>CIFAR-10</th><th>CIFAR-100</th></tr>
 *   <tr><td>train</td><td>{@code data_batch_1.bin} … {@code data_batch_5.bin}</td><td>{@code train.bin}</td></tr>
 *   <tr><td>test</td><td>{@code test_batch.bin}</td><td>{@code test.bin}</td></tr>
 *   <tr><td>record</td><td>label, 3072 pixels (3073 B)</td><td>coarse, fine, 3072 pixels (3074 B)</td></tr>
 *   <tr><td>classes</td><td>10</td><td>fine 100, coarse 20</td></tr>
 *   <tr><td>class names</td><td>{@code batches.meta.txt}</td><td>{@code fine_label_names.txt}, {@code coarse_label_names.txt}</td></tr>
 * </table>
 */
public enum CifarFormat {
    /** CIFAR-10 binary version ({@code cifar-10-batches-bin/}). */
    CIFAR_10("CIFAR-10", 1,
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            List.of("test_batch.bin")),
    /** CIFAR-100 binary version ({@code cifar-100-binary/}). */
    CIFAR_100("CIFAR-100", 2, List.of("train.bin"), List.of("test.bin"));

    private final String displayName;
    private final int labelBytes;
    private final List<String> trainFiles;
    private final List<String> testFiles;

    CifarFormat(String displayName, int labelBytes, List<String> trainFiles, List<String> testFiles) {
        this.displayName = displayName;
        this.labelBytes = labelBytes;
        this.trainFiles = trainFiles;
        this.testFiles = testFiles;
    }

    /** {@code CIFAR-10} or {@code CIFAR-100}. */
    public String displayName() {
        return displayName;
    }

    /** Label bytes at the start of each record (1 or 2). */
    public int labelBytes() {
        return labelBytes;
    }

    /** Bytes per record: label bytes plus {@value CifarRecords#PIXEL_BYTES} pixel bytes. */
    public int recordBytes() {
        return labelBytes + CifarRecords.PIXEL_BYTES;
    }

    /** The train split's files, in batch order. */
    public List<String> trainFiles() {
        return trainFiles;
    }

    /** The test split's files. */
    public List<String> testFiles() {
        return testFiles;
    }

    /** Every data file of the layout: train then test. */
    public List<String> dataFiles() {
        List<String> all = new ArrayList<>(trainFiles);
        all.addAll(testFiles);
        return all;
    }

    /**
     * Offset in a record of the label used for the {@code label} column.
     *
     * @throws IllegalArgumentException {@link CifarLabel#COARSE} for CIFAR-10
     */
    public int labelOffset(CifarLabel label) {
        check(label);
        return this == CIFAR_100 && label == CifarLabel.FINE ? 1 : 0;
    }

    /** Number of classes of the chosen label: 10, or 100 (fine) / 20 (coarse). */
    public int classes(CifarLabel label) {
        check(label);
        return this == CIFAR_10 ? 10 : label == CifarLabel.FINE ? 100 : 20;
    }

    /** Number of classes of the label byte at {@code offset} (each label byte is range-checked). */
    int classesAtOffset(int offset) {
        return this == CIFAR_10 ? 10 : offset == 0 ? 20 : 100;
    }

    /** Name of the label byte at {@code offset}, for messages. */
    String labelNameAtOffset(int offset) {
        return this == CIFAR_10 ? "label" : offset == 0 ? "coarse label" : "fine label";
    }

    /** The optional file of class names for the chosen label, one per line. */
    public String classNamesFile(CifarLabel label) {
        check(label);
        return this == CIFAR_10 ? "batches.meta.txt" : label == CifarLabel.FINE ? "fine_label_names.txt" : "coarse_label_names.txt";
    }

    private void check(CifarLabel label) {
        if (this == CIFAR_10 && label != CifarLabel.FINE) {
            throw new IllegalArgumentException("--labels " + label.flag()
                    + " applies to CIFAR-100 only; CIFAR-10 records have a single label");
        }
    }

    /**
     * Detects the layout of {@code dir} from the data files present: any CIFAR-10 file name means
     * CIFAR-10, any CIFAR-100 file name CIFAR-100; then every file of that layout must exist.
     *
     * @throws CifarFormatException {@code dir} missing or not a directory; files of both layouts;
     *                              files of neither; a file of the detected layout missing
     */
    public static CifarFormat detect(FileSystem fs, Path dir) throws IOException {
        if (!fs.exists(dir)) {
            throw new CifarFormatException(dir.toString(), "does not exist");
        }
        if (!fs.getFileStatus(dir).isDirectory()) {
            throw new CifarFormatException(dir.toString(), "is not a directory; --in takes the folder holding the .bin files");
        }
        List<String> ten = present(fs, dir, CIFAR_10);
        List<String> hundred = present(fs, dir, CIFAR_100);
        if (!ten.isEmpty() && !hundred.isEmpty()) {
            throw new CifarFormatException(dir.toString(), "holds files of both CIFAR-10 " + ten + " and CIFAR-100 "
                    + hundred + "; put each dataset in its own folder");
        }
        if (ten.isEmpty() && hundred.isEmpty()) {
            throw new CifarFormatException(dir.toString(), "holds neither CIFAR-10 binary files " + CIFAR_10.dataFiles()
                    + " nor CIFAR-100 binary files " + CIFAR_100.dataFiles()
                    + " (for the extracted archives, point --in at cifar-10-batches-bin/ or cifar-100-binary/)");
        }
        CifarFormat f = ten.isEmpty() ? CIFAR_100 : CIFAR_10;
        List<String> missing = new ArrayList<>(f.dataFiles());
        missing.removeAll(ten.isEmpty() ? hundred : ten);
        if (!missing.isEmpty()) {
            throw new CifarFormatException(dir.toString(), "looks like " + f.displayName + " binary but misses "
                    + missing + " (expected all of " + f.dataFiles() + ")");
        }
        return f;
    }

    private static List<String> present(FileSystem fs, Path dir, CifarFormat f) throws IOException {
        List<String> found = new ArrayList<>();
        for (String name : f.dataFiles()) {
            if (fs.exists(new Path(dir, name))) {
                found.add(name);
            }
        }
        return found;
    }
}
