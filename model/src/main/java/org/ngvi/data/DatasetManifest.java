package org.ngvi.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a prepared dataset directory holds, written as {@value #FILE_NAME} beside its Parquet
 * files (a Spark-hidden name, see {@link #FILE_NAME}) (layout: {@link ImageSchema}) and read by the trainer for the dataset size N, the input
 * shape, the number of classes and the normalisation statistics.
 *
 * <p>JSON keys (snake_case, exactly): {@code format_version}, {@code created_by}, {@code rows},
 * {@code shape}, {@code class_counts}, {@code class_names} (optional, omitted when empty),
 * {@code channel_mean}, {@code channel_std}, {@code sources} ({@code [{"path", "sha256"}]}).
 *
 * <p>Channel statistics are over every pixel of every image, in <b>raw pixel units
 * {@code [0, 255]}</b> (not divided by 255): for channel c with values x over all
 * {@code rows·h·w} pixels, {@code mean_c = Σx / n} and {@code std_c = sqrt(Σ(x − mean_c)² / n)}
 * (population standard deviation). {@link PixelNormalization#standardize(DatasetManifest)} uses
 * them as {@code (x − mean_c) / std_c}.
 *
 * <p>{@link #digest()} is the SHA-256 of {@link #toCanonicalJson()} (fixed key order, no
 * whitespace), stable across write/read, for model provenance.
 *
 * @param formatVersion manifest format version, {@value #FORMAT_VERSION}
 * @param createdBy     the tool that wrote the dataset, e.g. {@code "ngvi-data-prep PrepareIdxJob"}
 * @param rows          number of rows (images)
 * @param shape         {@code [height, width, channels]} of every image
 * @param classCounts   number of rows per label, indexed by label; sums to {@code rows}
 * @param classNames    optional names indexed by label (empty when absent; else one per class)
 * @param channelMean   per-channel pixel mean, [0,255] units
 * @param channelStd    per-channel pixel population standard deviation, [0,255] units
 * @param sources       the input files and their SHA-256
 */
public record DatasetManifest(int formatVersion, String createdBy, long rows, int[] shape, long[] classCounts,
                              List<String> classNames, double[] channelMean, double[] channelStd,
                              List<Source> sources) implements java.io.Serializable {

    /**
     * Name of the manifest file inside a dataset directory. The leading underscore matters: Spark's
     * file listing skips names starting with {@code _} or {@code .}, so
     * {@code spark.read().parquet(dir)} reads only the Parquet files; a plain {@code manifest.json}
     * beside them would be read as Parquet and fail ("is not a Parquet file").
     */
    public static final String FILE_NAME = "_manifest.json";
    /** Accepted by {@link #read(Path)} when {@value #FILE_NAME} is absent (e.g. written by hand). */
    public static final String PLAIN_FILE_NAME = "manifest.json";
    /** The format version this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /**
     * One input file of the dataset.
     *
     * @param path   the file as given to the preparing job
     * @param sha256 SHA-256 of the file's bytes, 64 lowercase hex digits
     */
    public record Source(String path, String sha256) implements java.io.Serializable {
        public Source {
            if (path == null || path.isEmpty()) {
                throw new IllegalArgumentException("field 'sources[].path' must be a non-empty string");
            }
            if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
                throw new IllegalArgumentException("field 'sources[].sha256' of " + path
                        + " must be 64 lowercase hex digits, found " + sha256);
            }
        }
    }

    /** Validates every field; errors name the field and what was expected. */
    public DatasetManifest {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("field 'format_version' must be " + FORMAT_VERSION + ", found " + formatVersion);
        }
        if (createdBy == null || createdBy.isEmpty()) {
            throw new IllegalArgumentException("field 'created_by' must be a non-empty string");
        }
        if (rows < 0) {
            throw new IllegalArgumentException("field 'rows' must be >= 0, found " + rows);
        }
        if (shape == null || shape.length != 3 || shape[0] <= 0 || shape[1] <= 0 || shape[2] <= 0) {
            throw new IllegalArgumentException("field 'shape' must be [height, width, channels] of positive integers, found "
                    + Arrays.toString(shape));
        }
        shape = shape.clone();
        if (classCounts == null) {
            throw new IllegalArgumentException("field 'class_counts' is required");
        }
        classCounts = classCounts.clone();
        long sum = 0;
        for (int k = 0; k < classCounts.length; k++) {
            if (classCounts[k] < 0) {
                throw new IllegalArgumentException("field 'class_counts[" + k + "]' must be >= 0, found " + classCounts[k]);
            }
            sum += classCounts[k];
        }
        if (sum != rows) {
            throw new IllegalArgumentException("field 'class_counts' sums to " + sum + " but field 'rows' is " + rows);
        }
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        if (!classNames.isEmpty() && classNames.size() != classCounts.length) {
            throw new IllegalArgumentException("field 'class_names' has " + classNames.size()
                    + " names but 'class_counts' has " + classCounts.length + " classes");
        }
        channelMean = checkChannels("channel_mean", channelMean, shape[2], false);
        channelStd = checkChannels("channel_std", channelStd, shape[2], true);
        if (sources == null) {
            throw new IllegalArgumentException("field 'sources' is required");
        }
        sources = List.copyOf(sources);
    }

    private static double[] checkChannels(String field, double[] v, int channels, boolean std) {
        if (v == null || v.length != channels) {
            throw new IllegalArgumentException("field '" + field + "' must have one value per channel (" + channels
                    + "), found " + (v == null ? "none" : v.length));
        }
        for (int c = 0; c < v.length; c++) {
            if (!Double.isFinite(v[c]) || v[c] < 0 || v[c] > 255) {
                throw new IllegalArgumentException("field '" + field + "[" + c + "]' must be a finite value in [0, 255] (pixel units"
                        + (std ? ", a standard deviation" : "") + "), found " + v[c]);
            }
        }
        return v.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public long[] classCounts() {
        return classCounts.clone();
    }

    @Override
    public double[] channelMean() {
        return channelMean.clone();
    }

    @Override
    public double[] channelStd() {
        return channelStd.clone();
    }

    /** Image height, {@code shape[0]}. */
    public int height() {
        return shape[0];
    }

    /** Image width, {@code shape[1]}. */
    public int width() {
        return shape[1];
    }

    /** Channels, {@code shape[2]}. */
    public int channels() {
        return shape[2];
    }

    /** Number of classes, {@code class_counts.length}. */
    public int numClasses() {
        return classCounts.length;
    }

    /** Pixels per image, {@code h·w·c}. */
    public int exampleSize() {
        return shape[0] * shape[1] * shape[2];
    }

    /** The manifest as a JSON tree, keys in canonical order. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("format_version", formatVersion);
        n.put("created_by", createdBy);
        n.put("rows", rows);
        ArrayNode s = n.putArray("shape");
        for (int d : shape) {
            s.add(d);
        }
        ArrayNode cc = n.putArray("class_counts");
        for (long c : classCounts) {
            cc.add(c);
        }
        if (!classNames.isEmpty()) {
            ArrayNode cn = n.putArray("class_names");
            classNames.forEach(cn::add);
        }
        ArrayNode m = n.putArray("channel_mean");
        for (double v : channelMean) {
            m.add(v);
        }
        ArrayNode sd = n.putArray("channel_std");
        for (double v : channelStd) {
            sd.add(v);
        }
        ArrayNode src = n.putArray("sources");
        for (Source so : sources) {
            src.addObject().put("path", so.path()).put("sha256", so.sha256());
        }
        return n;
    }

    /** Compact JSON with the keys in canonical order: the input of {@link #digest()}. */
    public String toCanonicalJson() {
        try {
            return JSON.writeValueAsString(toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pretty-printed JSON, as written to {@value #FILE_NAME}. */
    public String toPrettyJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of the UTF-8 bytes of {@link #toCanonicalJson()}, 64 lowercase hex digits. */
    public String digest() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(toCanonicalJson().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@link #toPrettyJson()} to {@code dirOrFile}, or to {@code dirOrFile/_manifest.json}
     * when it is an existing directory, atomically ({@link org.ngvi.io.AtomicFiles}). Returns the file written.
     */
    public Path write(Path dirOrFile) throws IOException {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(FILE_NAME) : dirOrFile;
        org.ngvi.io.AtomicFiles.write(file, toPrettyJson().getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /**
     * Reads and validates a manifest: {@code dirOrFile/_manifest.json} (or, if that is absent,
     * {@code dirOrFile/manifest.json}) when given a directory, else the file itself.
     *
     * @throws IOException              unreadable file or malformed JSON (message names the file)
     * @throws IllegalArgumentException a missing or invalid field (message names the file and field)
     */
    public static DatasetManifest read(Path dirOrFile) throws IOException {
        Path file = dirOrFile;
        if (Files.isDirectory(dirOrFile)) {
            file = dirOrFile.resolve(FILE_NAME);
            if (!Files.exists(file) && Files.exists(dirOrFile.resolve(PLAIN_FILE_NAME))) {
                file = dirOrFile.resolve(PLAIN_FILE_NAME);
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("dataset manifest " + file + " does not exist"
                    + (Files.isDirectory(dirOrFile) ? " (is " + dirOrFile + " a prepared dataset directory?)" : ""));
        }
        return fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses and validates manifest JSON; {@code source} names where it came from in errors.
     *
     * @throws IOException              malformed JSON
     * @throws IllegalArgumentException a missing or invalid field
     */
    public static DatasetManifest fromJson(String json, String source) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException("dataset manifest " + source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IOException("dataset manifest " + source + " must be a JSON object");
        }
        try {
            return fromJson(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dataset manifest " + source + ": " + e.getMessage(), e);
        }
    }

    /** Builds from a JSON tree; errors name the field (without a file name). */
    public static DatasetManifest fromJson(JsonNode n) {
        long version = integer(n, "format_version");
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("field 'format_version' must be " + FORMAT_VERSION + ", found " + version);
        }
        String createdBy = text(n.get("created_by"), "created_by");
        long rows = integer(n, "rows");
        JsonNode shapeNode = array(n, "shape");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            long d = integerValue(shapeNode.get(i), "shape[" + i + "]");
            if (d <= 0 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("field 'shape[" + i + "]' must be a positive int, found " + d);
            }
            shape[i] = (int) d;
        }
        JsonNode ccNode = array(n, "class_counts");
        long[] cc = new long[ccNode.size()];
        for (int i = 0; i < cc.length; i++) {
            cc[i] = integerValue(ccNode.get(i), "class_counts[" + i + "]");
        }
        List<String> names = new ArrayList<>();
        if (n.has("class_names") && !n.get("class_names").isNull()) {
            JsonNode cn = array(n, "class_names");
            for (int i = 0; i < cn.size(); i++) {
                names.add(text(cn.get(i), "class_names[" + i + "]"));
            }
        }
        double[] mean = numbers(n, "channel_mean");
        double[] std = numbers(n, "channel_std");
        JsonNode src = array(n, "sources");
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < src.size(); i++) {
            JsonNode s = src.get(i);
            if (!s.isObject()) {
                throw new IllegalArgumentException("field 'sources[" + i + "]' must be an object {\"path\", \"sha256\"}");
            }
            sources.add(new Source(text(s.get("path"), "sources[" + i + "].path"),
                    text(s.get("sha256"), "sources[" + i + "].sha256")));
        }
        return new DatasetManifest((int) version, createdBy, rows, shape, cc, names, mean, std, sources);
    }

    private static long integer(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return integerValue(v, field);
    }

    private static long integerValue(JsonNode v, String field) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer, found " + v);
        }
        return v.asLong();
    }

    private static String text(JsonNode v, String field) {
        if (v == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string, found " + v);
        }
        return v.asText();
    }

    private static JsonNode array(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be an array, found " + v);
        }
        return v;
    }

    private static double[] numbers(JsonNode parent, String field) {
        JsonNode a = array(parent, field);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = a.get(i);
            if (!v.isNumber()) {
                throw new IllegalArgumentException("field '" + field + "[" + i + "]' must be a number, found " + v);
            }
            out[i] = v.asDouble();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DatasetManifest m && toCanonicalJson().equals(m.toCanonicalJson());
    }

    @Override
    public int hashCode() {
        return toCanonicalJson().hashCode();
    }

    @Override
    public String toString() {
        return toCanonicalJson();
    }
}
