package org.ngvi.prep.imagefolder;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The labels file of a flat {@code val/} folder: which train class each image belongs to.
 *
 * <p>The file is {@code IN/val_labels.txt} or {@code IN/LOC_val_solution.csv} (exactly one of
 * them, beside {@code val/}), or the file given with {@code --val-labels}. UTF-8 text (a leading
 * byte-order mark is ignored), one image per line, in any order:
 * <pre>
 * # comment lines and blank lines are ignored
 * ILSVRC2012_val_00000001.JPEG n01751748        NAME CLASS   (whitespace-separated, exactly two fields)
 * ILSVRC2012_val_00000002.JPEG,n09193705        NAME,CLASS   (comma-separated)
 * ILSVRC2012_val_00008726,n02119789 255 142 454 329 n02119789 44 21 322 295
 * </pre>
 * A line with a comma is split at its first comma: NAME before it, and CLASS is the first
 * whitespace-separated token after it; further tokens are ignored (Kaggle's
 * {@code LOC_val_solution.csv}, whose second field is the class followed by bounding boxes). A
 * first non-comment line {@code ImageId,PredictionString} (that file's header) is skipped.
 * <ul>
 *   <li>NAME is the file name of an image directly in {@code val/} ({@code .jpg}, {@code .jpeg},
 *       {@code .png}, any case), or that name without its extension (as
 *       {@code LOC_val_solution.csv}'s ImageId); file names with commas or spaces cannot be named.</li>
 *   <li>CLASS is a class folder name of {@code train/} (e.g. {@code n01440764}), not a number:
 *       integer labels are ambiguous (0- or 1-based, in which order) and rejected as unknown classes.</li>
 *   <li>Every image in {@code val/} needs exactly one line, and every line must name an image
 *       in {@code val/}.</li>
 * </ul>
 * Anything else is an {@link ImageFolderFormatException} naming the file, the line and what was expected.
 */
public final class ValLabels {
    /** The labels file names looked for in {@code IN/}, beside {@code val/}. */
    public static final List<String> FILE_NAMES = List.of("val_labels.txt", "LOC_val_solution.csv");
    /** The header line of {@code LOC_val_solution.csv}, skipped when it is the first line. */
    public static final String LOC_HEADER = "ImageId,PredictionString";

    private ValLabels() {
    }

    /**
     * Labels of the images {@code fileNames} (names in {@code val/}) from the labels file's bytes.
     *
     * @param source     the labels file, for messages
     * @param classNames the train classes, index = label
     * @return {@code labels[i]} = class index of {@code fileNames.get(i)}
     * @throws ImageFolderFormatException a malformed line, an unknown class or image, a duplicate or missing label
     */
    public static int[] parse(String source, byte[] bytes, List<String> fileNames, List<String> classNames)
            throws ImageFolderFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ImageFolderFormatException(source, "is not UTF-8 text (" + e + ")");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Map<String, Integer> classIndex = new HashMap<>();
        for (int k = 0; k < classNames.size(); k++) {
            classIndex.put(classNames.get(k), k);
        }
        Map<String, Integer> byName = new HashMap<>();
        Map<String, Integer> byStem = new HashMap<>();
        for (int i = 0; i < fileNames.size(); i++) {
            String name = fileNames.get(i);
            byName.put(name, i);
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            byStem.merge(stem, i, (a, b) -> -1); // -1: two files share the stem
        }
        int[] labels = new int[fileNames.size()];
        int[] lineOf = new int[fileNames.size()];
        Arrays.fill(labels, -1);
        String[] lines = text.split("\n", -1);
        boolean first = true;
        for (int ln = 0; ln < lines.length; ln++) {
            int lineNo = ln + 1;
            String line = lines[ln].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (first && line.equals(LOC_HEADER)) {
                first = false;
                continue;
            }
            first = false;
            String name;
            String cls;
            int comma = line.indexOf(',');
            if (comma >= 0) {
                name = line.substring(0, comma).strip();
                String rest = line.substring(comma + 1).strip();
                if (rest.isEmpty()) {
                    throw lineError(source, lineNo, line, "has no class after the comma (expected NAME,CLASS)");
                }
                cls = rest.split("\\s+")[0];
            } else {
                String[] f = line.split("\\s+");
                if (f.length != 2) {
                    throw lineError(source, lineNo, line, "has " + f.length + " whitespace-separated field"
                            + (f.length == 1 ? "" : "s") + ", expected 'NAME CLASS' or 'NAME,CLASS'");
                }
                name = f[0];
                cls = f[1];
            }
            if (name.isEmpty()) {
                throw lineError(source, lineNo, line, "has an empty image name");
            }
            Integer pos = byName.get(name);
            if (pos == null) {
                pos = byStem.get(name);
                if (pos != null && pos < 0) {
                    throw lineError(source, lineNo, line, "names '" + name + "', the name without extension of more than one image in val/; "
                            + "give the full file name");
                }
            }
            if (pos == null) {
                throw lineError(source, lineNo, line, "names '" + name + "', which is not an image file directly in val/ "
                        + "(expected a file name such as '" + fileNames.get(0) + "', or that name without its extension)");
            }
            Integer label = classIndex.get(cls);
            if (label == null) {
                throw lineError(source, lineNo, line, "class '" + cls + "' is not one of the " + classNames.size()
                        + " train classes (the folder names in train/: " + sample(classNames) + ")");
            }
            if (labels[pos] >= 0) {
                throw lineError(source, lineNo, line, "labels " + fileNames.get(pos) + " again (first on line " + lineOf[pos] + ")");
            }
            labels[pos] = label;
            lineOf[pos] = lineNo;
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                missing.add(fileNames.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new ImageFolderFormatException(source, "has no line for " + missing.size() + " of the " + fileNames.size()
                    + " images in val/: " + sample(missing) + " (every image needs one line NAME CLASS or NAME,CLASS)");
        }
        return labels;
    }

    private static ImageFolderFormatException lineError(String source, int lineNo, String line, String what) {
        String shown = line.length() > 120 ? line.substring(0, 117) + "..." : line;
        return new ImageFolderFormatException(source, "line " + lineNo + " '" + shown + "' " + what);
    }

    /** Up to 5 names, then "... (N in all)". */
    static String sample(List<String> names) {
        int k = Math.min(5, names.size());
        String s = String.join(", ", names.subList(0, k));
        return names.size() > k ? s + ", ... (" + names.size() + " in all)" : s;
    }
}
