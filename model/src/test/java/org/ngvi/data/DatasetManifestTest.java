package org.ngvi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetManifestTest {
    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "0123456789abcdef".repeat(4);

    static DatasetManifest sample() {
        return new DatasetManifest(1, "test", 6, new int[]{2, 3, 1}, new long[]{1, 2, 3}, List.of("x", "y", "z"),
                new double[]{72.94035223214286}, new double[]{90.0211}, List.of(
                        new DatasetManifest.Source("/d/images.gz", SHA_A), new DatasetManifest.Source("/d/labels.gz", SHA_B)));
    }

    @TempDir
    Path dir;

    @Test
    void roundTripsThroughDirectoryWithSnakeCaseKeys() throws IOException {
        DatasetManifest m = sample();
        Path file = m.write(dir);
        assertEquals(dir.resolve("_manifest.json"), file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));
        assertEquals(List.of("format_version", "created_by", "rows", "shape", "class_counts", "class_names",
                "channel_mean", "channel_std", "sources"), iterToList(json));
        assertEquals(6, json.get("rows").asLong());
        assertEquals(72.94035223214286, json.get("channel_mean").get(0).asDouble());
        assertEquals(SHA_B, json.get("sources").get(1).get("sha256").asText());

        DatasetManifest back = DatasetManifest.read(dir);
        assertEquals(m, back);
        assertEquals(6, back.rows());
        assertArrayEquals(new int[]{2, 3, 1}, back.shape());
        assertArrayEquals(new long[]{1, 2, 3}, back.classCounts());
        assertEquals(List.of("x", "y", "z"), back.classNames());
        assertArrayEquals(new double[]{72.94035223214286}, back.channelMean());
        assertArrayEquals(new double[]{90.0211}, back.channelStd());
        assertEquals(m.sources(), back.sources());
        assertEquals(m.digest(), back.digest());
        assertEquals(m, DatasetManifest.read(file));
    }

    @Test
    void readsAPlainManifestJsonWhenTheHiddenOneIsAbsent() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), sample().toPrettyJson());
        assertEquals(sample(), DatasetManifest.read(dir));
    }

    @Test
    void classNamesAreOptional() throws IOException {
        DatasetManifest m = new DatasetManifest(1, "t", 1, new int[]{1, 1, 3}, new long[]{0, 1}, null,
                new double[]{1, 2, 3}, new double[]{0, 1, 2}, List.of());
        assertTrue(!m.toJson().has("class_names"));
        assertEquals(List.of(), DatasetManifest.fromJson(m.toPrettyJson(), "mem").classNames());
    }

    @Test
    void digestIsSha256OfCanonicalJsonAndChangesWithContent() throws Exception {
        DatasetManifest m = sample();
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(m.toCanonicalJson().getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, m.digest());
        assertTrue(!m.toCanonicalJson().contains(" "), "canonical JSON has no whitespace");
        DatasetManifest other = new DatasetManifest(1, "test", 6, new int[]{2, 3, 1}, new long[]{1, 2, 3},
                List.of("x", "y", "z"), new double[]{72.94035223214287}, new double[]{90.0211}, m.sources());
        assertNotEquals(m.digest(), other.digest());
    }

    @Test
    void invalidFieldsNameFileAndField() throws IOException {
        ObjectMapper om = new ObjectMapper();
        assertBad(om, n -> n.remove("rows"), "'rows'");
        assertBad(om, n -> n.put("rows", 7), "'class_counts'");
        assertBad(om, n -> n.put("rows", "six"), "'rows'");
        assertBad(om, n -> n.putArray("shape").add(2).add(3), "'shape'");
        assertBad(om, n -> n.putArray("channel_mean").add(1).add(2), "'channel_mean'");
        assertBad(om, n -> n.putArray("channel_std").add(-1), "'channel_std[0]'");
        assertBad(om, n -> n.put("format_version", 2), "'format_version'");
        assertBad(om, n -> n.putArray("class_names").add("a"), "'class_names'");
        assertBad(om, n -> ((ObjectNode) n.get("sources").get(0)).put("sha256", "xyz"), "sha256");
        assertBad(om, n -> ((ObjectNode) n.get("sources").get(0)).remove("path"), "'sources[0].path'");
        assertBad(om, n -> n.putArray("class_counts").add(7).add(-1), "'class_counts[1]'");
    }

    @Test
    void malformedOrMissingFileIsIoErrorNamingFile() throws IOException {
        Path f = dir.resolve("_manifest.json");
        Files.writeString(f, "{not json");
        IOException e = assertThrows(IOException.class, () -> DatasetManifest.read(dir));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        e = assertThrows(IOException.class, () -> DatasetManifest.read(empty));
        assertTrue(e.getMessage().contains(empty.resolve("_manifest.json").toString()), e.getMessage());
    }

    private void assertBad(ObjectMapper om, java.util.function.Consumer<ObjectNode> edit, String field) throws IOException {
        ObjectNode n = sample().toJson();
        edit.accept(n);
        Path f = dir.resolve("bad.json");
        Files.writeString(f, om.writeValueAsString(n));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetManifest.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(field), "expected " + field + " in: " + e.getMessage());
    }

    private static List<String> iterToList(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
