package org.ngvi.prep.imagefolder;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ngvi.data.DatasetManifest;
import org.ngvi.prep.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver-side listing of an ImageNet-style tree ({@code IN} = {@code --in}):
 * <pre>
 * IN/train/&lt;class&gt;/**&#47;*.{jpg,jpeg,png}      required; one folder per class
 * IN/val/&lt;class&gt;/**&#47;*.{jpg,jpeg,png}        optional: class folders (each a train class) ...
 * IN/val/*.{jpg,jpeg,png} + labels file      ... or flat, labelled by a {@link ValLabels} file
 * </pre>
 * Extensions match in any case ({@code .JPEG}); other files are ignored, as are files and
 * folders whose names start with {@code .} (e.g. macOS {@code ._x.JPEG} or {@code .DS_Store}).
 * Images may sit in subfolders of a class folder.
 *
 * <p><b>Classes.</b> The class folder names of {@code train/} sorted ({@link String#compareTo},
 * code-unit order) are the classes {@code 0..K−1}; {@code val/} uses the same mapping.
 *
 * <p><b>Order.</b> Within a split, images are ordered by class index, then by their folder's
 * path relative to the class folder, then by file name — the order of torchvision's
 * {@code ImageFolder} ({@code sorted(os.walk(...))}, then sorted file names); a flat
 * {@code val/} by file name. The position in this order is the row's {@code index}.
 *
 * <p><b>Errors</b> ({@link ImageFolderFormatException}, naming the folder or file): a missing
 * {@code IN} or {@code IN/train}; no class folders; a class folder (of train or val) without
 * images; image files directly in {@code train/}; a {@code val/} mixing class folders and images,
 * or with a class folder that is not a train class, or without images; a flat {@code val/}
 * without a labels file, or with both {@code val_labels.txt} and {@code LOC_val_solution.csv}.
 */
public final class FolderListing {
    private static final Logger LOG = LoggerFactory.getLogger(FolderListing.class);

    /** Image file extensions, matched case-insensitively. */
    public static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");
    /** The split folders under {@code IN}. */
    public static final String TRAIN = "train";
    /** See {@link #TRAIN}. */
    public static final String VAL = "val";

    private FolderListing() {
    }

    /**
     * One image of the listing.
     *
     * @param relativePath path relative to {@code IN}, {@code /}-separated, e.g. {@code train/n01440764/x.JPEG}
     * @param size         length in bytes at listing time
     * @param label        class index
     */
    public record ListedFile(String relativePath, long size, int label) implements java.io.Serializable {
    }

    /**
     * The images of one split in row order.
     *
     * @param name       {@code train} or {@code val}
     * @param dir        the split folder (qualified)
     * @param files      the images, index = position
     * @param labelsFile the labels file of a flat {@code val/} with its SHA-256, else {@code null}
     */
    public record ListedSplit(String name, Path dir, List<ListedFile> files, DatasetManifest.Source labelsFile) {
        /** Images per class, over {@code classes} classes. */
        public long[] classCounts(int classes) {
            long[] c = new long[classes];
            for (ListedFile f : files) {
                c[f.label()]++;
            }
            return c;
        }
    }

    /**
     * A listed tree.
     *
     * @param root       {@code IN} (qualified)
     * @param classNames class folder names of {@code train/}, index = label
     * @param train      the train split
     * @param val        the val split, or {@code null} when {@code IN/val} does not exist
     */
    public record Listing(Path root, List<String> classNames, ListedSplit train, ListedSplit val) {
    }

    /**
     * Lists {@code root}.
     *
     * @param valLabels labels file for a flat {@code val/} ({@code --val-labels}), or {@code null} to look for
     *                  {@link ValLabels#FILE_NAMES} in {@code root}
     * @throws ImageFolderFormatException see the class comment
     */
    public static Listing list(FileSystem fs, Path root, String valLabels) throws IOException {
        if (!fs.exists(root)) {
            throw new ImageFolderFormatException(root.toString(), "does not exist");
        }
        if (!fs.getFileStatus(root).isDirectory()) {
            throw new ImageFolderFormatException(root.toString(), "is not a directory (expected a folder holding train/ and optionally val/)");
        }
        Path trainDir = new Path(root, TRAIN);
        if (!fs.exists(trainDir) || !fs.getFileStatus(trainDir).isDirectory()) {
            throw new ImageFolderFormatException(root.toString(), "has no train/ folder (expected an ImageNet-style tree: "
                    + "train/<class>/*.JPEG, and optionally val/<class>/*.JPEG or val/*.JPEG with a labels file)");
        }
        Children train = children(fs, trainDir);
        if (!train.images.isEmpty()) {
            throw new ImageFolderFormatException(trainDir.toString(), "holds image files outside class folders, which have no class: "
                    + ValLabels.sample(names(train.images)) + " (expected train/<class>/<image>)");
        }
        if (train.dirs.isEmpty()) {
            throw new ImageFolderFormatException(trainDir.toString(), "has no class folders (expected train/<class>/*.JPEG)");
        }
        List<String> classNames = names(train.dirs);
        long t0 = System.nanoTime();
        List<ListedFile> trainFiles = new ArrayList<>();
        for (int k = 0; k < classNames.size(); k++) {
            classFolder(fs, train.dirs.get(k).getPath(), TRAIN + "/" + classNames.get(k), k, trainFiles);
            if ((k + 1) % 100 == 0) {
                LOG.info("listed {} of {} train class folders ({} images) in {} s", k + 1, classNames.size(), trainFiles.size(),
                        String.format("%.1f", (System.nanoTime() - t0) / 1e9));
            }
        }
        ListedSplit trainSplit = new ListedSplit(TRAIN, trainDir, trainFiles, null);

        Path valDir = new Path(root, VAL);
        ListedSplit valSplit = null;
        if (fs.exists(valDir)) {
            valSplit = listVal(fs, root, valDir, classNames, valLabels);
        } else if (valLabels != null) {
            throw new ImageFolderFormatException(root.toString(), "has no val/ folder, but --val-labels " + valLabels + " was given");
        }
        return new Listing(root, classNames, trainSplit, valSplit);
    }

    private static ListedSplit listVal(FileSystem fs, Path root, Path valDir, List<String> classNames, String valLabels)
            throws IOException {
        if (!fs.getFileStatus(valDir).isDirectory()) {
            throw new ImageFolderFormatException(valDir.toString(), "is not a directory");
        }
        Children val = children(fs, valDir);
        if (!val.dirs.isEmpty() && !val.images.isEmpty()) {
            throw new ImageFolderFormatException(valDir.toString(), "mixes class folders (" + ValLabels.sample(names(val.dirs))
                    + ") and image files (" + ValLabels.sample(names(val.images)) + "); expected either val/<class>/<image> "
                    + "or a flat val/<image> with a labels file");
        }
        List<ListedFile> files = new ArrayList<>();
        if (!val.dirs.isEmpty()) {
            if (valLabels != null) {
                throw new ImageFolderFormatException(valDir.toString(), "has class folders, so --val-labels " + valLabels
                        + " does not apply (it labels a flat val/)");
            }
            for (FileStatus d : val.dirs) {
                String cls = d.getPath().getName();
                int k = classNames.indexOf(cls);
                if (k < 0) {
                    throw new ImageFolderFormatException(d.getPath().toString(), "is not a train class: val/ class folders must "
                            + "be among the " + classNames.size() + " folder names of train/ (" + ValLabels.sample(classNames) + ")");
                }
                classFolder(fs, d.getPath(), VAL + "/" + cls, k, files);
            }
            // val.dirs is sorted by name, as the classes are: files are in class order already
            return new ListedSplit(VAL, valDir, files, null);
        }
        if (val.images.isEmpty()) {
            throw new ImageFolderFormatException(valDir.toString(), "holds no images (" + String.join(", ", EXTENSIONS)
                    + ", any case) and no class folders");
        }
        Path labelsPath = labelsFile(fs, root, valDir, valLabels);
        byte[] bytes;
        try (InputStream in = fs.open(labelsPath)) {
            bytes = in.readAllBytes();
        }
        List<String> fileNames = names(val.images);
        int[] labels = ValLabels.parse(labelsPath.toString(), bytes, fileNames, classNames);
        for (int i = 0; i < fileNames.size(); i++) {
            files.add(new ListedFile(VAL + "/" + fileNames.get(i), val.images.get(i).getLen(), labels[i]));
        }
        return new ListedSplit(VAL, valDir, files, new DatasetManifest.Source(labelsPath.toString(), Sha256.hex(bytes)));
    }

    private static Path labelsFile(FileSystem fs, Path root, Path valDir, String valLabels) throws IOException {
        if (valLabels != null) {
            Path p = fs.makeQualified(new Path(valLabels));
            if (!fs.exists(p) || !fs.getFileStatus(p).isFile()) {
                throw new ImageFolderFormatException(p.toString(), "does not exist (given as --val-labels)");
            }
            return p;
        }
        List<Path> found = new ArrayList<>();
        for (String name : ValLabels.FILE_NAMES) {
            Path p = new Path(root, name);
            if (fs.exists(p)) {
                found.add(p);
            }
        }
        if (found.size() > 1) {
            throw new ImageFolderFormatException(root.toString(), "holds both " + String.join(" and ", ValLabels.FILE_NAMES)
                    + "; keep one, or choose with --val-labels");
        }
        if (found.isEmpty()) {
            throw new ImageFolderFormatException(valDir.toString(), "holds images directly (not in class folders) but there is no "
                    + "labels file: expected " + String.join(" or ", ValLabels.FILE_NAMES) + " in " + root
                    + " (lines 'NAME CLASS' or 'NAME,CLASS'), or --val-labels FILE");
        }
        return found.get(0);
    }

    /** The visible subfolders and image files directly in {@code dir}, each sorted by name. */
    private record Children(List<FileStatus> dirs, List<FileStatus> images) {
    }

    private static Children children(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> dirs = new ArrayList<>();
        List<FileStatus> images = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (name.startsWith(".")) {
                continue;
            }
            if (s.isDirectory()) {
                dirs.add(s);
            } else if (isImage(name)) {
                images.add(s);
            }
        }
        Comparator<FileStatus> byName = Comparator.comparing(s -> s.getPath().getName());
        dirs.sort(byName);
        images.sort(byName);
        return new Children(dirs, images);
    }

    /** Lists a class folder recursively in (folder path, file name) order; an error when it holds no image. */
    private static void classFolder(FileSystem fs, Path dir, String rel, int label, List<ListedFile> out) throws IOException {
        record Found(String folder, String name, long size) {
        }
        List<Found> found = new ArrayList<>();
        List<Path> pending = new ArrayList<>(List.of(dir));
        List<String> pendingRel = new ArrayList<>(List.of(""));
        while (!pending.isEmpty()) {
            Path d = pending.remove(pending.size() - 1);
            String r = pendingRel.remove(pendingRel.size() - 1);
            Children c = children(fs, d);
            for (FileStatus f : c.images) {
                found.add(new Found(r, f.getPath().getName(), f.getLen()));
            }
            for (FileStatus s : c.dirs) {
                pending.add(s.getPath());
                pendingRel.add(r.isEmpty() ? s.getPath().getName() : r + "/" + s.getPath().getName());
            }
        }
        if (found.isEmpty()) {
            throw new ImageFolderFormatException(dir.toString(), "holds no images (" + String.join(", ", EXTENSIONS)
                    + ", any case, also in subfolders); every class folder needs at least one");
        }
        found.sort(Comparator.comparing(Found::folder).thenComparing(Found::name));
        for (Found f : found) {
            out.add(new ListedFile(rel + "/" + (f.folder().isEmpty() ? "" : f.folder() + "/") + f.name(), f.size(), label));
        }
    }

    /** Whether the file name ends in one of {@link #EXTENSIONS}, in any case. */
    public static boolean isImage(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String ext : EXTENSIONS) {
            if (lower.endsWith(ext) && lower.length() > ext.length()) {
                return true;
            }
        }
        return false;
    }

    private static List<String> names(List<FileStatus> statuses) {
        List<String> n = new ArrayList<>(statuses.size());
        for (FileStatus s : statuses) {
            n.add(s.getPath().getName());
        }
        return n;
    }
}
