package org.ngvi.posterior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;
import org.ngvi.tensor.ParamSpec;

class CheckpointFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ParamLayout LAYOUT = new ParamLayout(List.of(
            new ParamSpec("0.weight", new long[] {5, 4}), new ParamSpec("0.bias", new long[] {5}),
            new ParamSpec("2.weight", new long[] {3, 5}), new ParamSpec("2.bias", new long[] {3})));

    @TempDir
    Path dir;

    static NetworkSpec spec() {
        ArrayNode layers = JSON.createArrayNode();
        layers.addObject().put("type", "linear").put("in", 4).put("out", 5).put("bias", true);
        layers.addObject().put("type", "relu");
        layers.addObject().put("type", "linear").put("in", 5).put("out", 3).put("bias", true);
        return new NetworkSpec(new long[] {4}, layers, "cross_entropy");
    }

    static ModelCheckpoint checkpoint(DataType dt, long seed) {
        Map<String, FlatTensor> buffers = new LinkedHashMap<>();
        for (String name : new String[] {"params", "curvature", "momentum", "grad_ema"}) {
            FlatTensor t = FlatTensor.wrap(LAYOUT, Nd4j.getRandom().nextGaussian(new long[] {LAYOUT.totalSize()}).castTo(dt));
            buffers.put(name, t);
        }
        ObjectNode params = JSON.createObjectNode().put("lr", 0.1).put("dataset_size", 60000);
        ObjectNode meta = JSON.createObjectNode().put("seed", seed).put("git_revision", "abc123");
        meta.putObject("config").put("batch_size", 128);
        return new ModelCheckpoint(spec(), "vogn", params, 17, buffers,
                Map.of("prior_ema", new double[] {0.1, 1.0 / 3, Math.PI, 1e-300}), meta);
    }

    static void assertSameCheckpoint(ModelCheckpoint e, ModelCheckpoint a) {
        assertEquals(e.spec(), a.spec());
        assertEquals(e.optimizer(), a.optimizer());
        // compared as JSON text: a long written as 5 reads back as an int node
        assertEquals(e.optimizerParams().toString(), a.optimizerParams().toString());
        assertEquals(e.step(), a.step());
        assertEquals(e.metadata().toString(), a.metadata().toString());
        assertEquals(e.layout(), a.layout());
        assertEquals(e.dataType(), a.dataType());
        assertEquals(List.copyOf(e.tensors().keySet()), List.copyOf(a.tensors().keySet()));
        for (String name : e.tensors().keySet()) {
            assertEquals(e.tensor(name).dataType(), a.tensor(name).dataType(), name);
            assertArrayEquals(e.tensor(name).flat().castTo(DataType.DOUBLE).toDoubleVector(),
                    a.tensor(name).flat().castTo(DataType.DOUBLE).toDoubleVector(), 0.0, name); // exact
        }
        assertEquals(e.scalars().keySet(), a.scalars().keySet());
        for (String name : e.scalars().keySet()) {
            assertArrayEquals(e.scalars(name), a.scalars(name), 0.0, name);
        }
        if (e.runningStats() == null) {
            assertNull(a.runningStats(), "network buffers");
        } else {
            assertEquals(e.runningStats().layout(), a.runningStats().layout());
            assertEquals(e.runningStats().dataType(), a.runningStats().dataType());
            assertArrayEquals(e.runningStats().flat().castTo(DataType.DOUBLE).toDoubleVector(),
                    a.runningStats().flat().castTo(DataType.DOUBLE).toDoubleVector(), 0.0, "network buffers"); // exact
        }
    }

    /** A network with BatchNorm and its running statistics as network buffers. */
    static ModelCheckpoint checkpointWithNetworkBuffers(DataType dt) {
        ParamLayout bufferLayout = new ParamLayout(List.of(new ParamSpec("1.running_mean", new long[] {5}),
                new ParamSpec("1.running_var", new long[] {5})));
        FlatTensor running = FlatTensor.wrap(bufferLayout, Nd4j.createFromArray(0.25, -1.5, 3.0, 1e-3, 7.0, 0.5, 1.25, 2.0, 1e-4, 9.0).castTo(dt));
        return checkpoint(dt, 9).withRunningStats(running);
    }

    @Test
    void networkBuffersRoundTripAfterTheOptimizerBuffers() throws IOException {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            ModelCheckpoint c = checkpointWithNetworkBuffers(dt);
            Path f = dir.resolve("bn-" + dt + ".ckpt");
            CheckpointFile.write(f, c);
            ModelCheckpoint back = CheckpointFile.read(f);
            assertSameCheckpoint(c, back);
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
            int h = b.getInt(12);
            var header = JSON.readTree(Arrays.copyOfRange(b.array(), 16, 16 + h));
            var nb = header.get("network_buffers");
            assertEquals("1.running_var", nb.get("layout").get(1).get("name").asText());
            int elem = dt == DataType.DOUBLE ? 8 : 4;
            assertEquals(4L * LAYOUT.totalSize() * elem, nb.get("offset").asLong(), "after the four optimizer buffers");
            long off = 16 + h + nb.get("offset").asLong();
            double third = dt == DataType.DOUBLE ? b.getDouble((int) off + 2 * elem) : b.getFloat((int) off + 2 * elem);
            assertEquals(c.runningStats().flat().getDouble(2), third);
        }
        // a checkpoint without network buffers says so
        Path plain = dir.resolve("plain-v2.ckpt");
        CheckpointFile.write(plain, checkpoint(DataType.FLOAT, 3));
        assertNull(CheckpointFile.read(plain).runningStats());
        // network buffers must have the optimizer buffers' data type
        FlatTensor wrongType = FlatTensor.zeros(new ParamLayout(List.of(new ParamSpec("1.running_mean", new long[] {2}))),
                DataType.DOUBLE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> checkpoint(DataType.FLOAT, 1).withRunningStats(wrongType));
        assertTrue(e.getMessage().contains("runningStats"), e.getMessage());
    }

    /** Re-encodes a checkpoint file with another version and header (fresh header length and CRC32). */
    private static byte[] reencode(byte[] file, int version, java.util.function.Consumer<ObjectNode> editHeader) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int h = in.getInt(12);
        ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(file, 16, 16 + h));
        editHeader.accept(header);
        byte[] hb = JSON.writeValueAsBytes(header);
        byte[] data = Arrays.copyOfRange(file, 16 + h, file.length - 4);
        ByteBuffer out = ByteBuffer.allocate(16 + hb.length + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(CheckpointFile.MAGIC).putInt(version).putInt(hb.length).put(hb).put(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    @Test
    void versionOneFilesWithoutNetworkBuffersStillLoad() throws IOException {
        ModelCheckpoint c = checkpoint(DataType.DOUBLE, 11);
        Path f = dir.resolve("v1.ckpt");
        CheckpointFile.write(f, c);
        // exactly what version 1 wrote: no 'network_buffers' field, version 1 in prefix and header
        Files.write(f, reencode(Files.readAllBytes(f), 1, n -> {
            n.remove("network_buffers");
            n.put("format_version", 1);
        }));
        assertEquals(1, ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getInt(8));
        ModelCheckpoint back = CheckpointFile.read(f);
        assertSameCheckpoint(c, back);
        assertNull(back.runningStats());

        // a version 1 file cannot carry network buffers
        Path g = dir.resolve("v1-bn.ckpt");
        CheckpointFile.write(g, checkpointWithNetworkBuffers(DataType.FLOAT));
        Files.write(g, reencode(Files.readAllBytes(g), 1, n -> n.put("format_version", 1)));
        IOException e = assertThrows(IOException.class, () -> CheckpointFile.read(g));
        assertTrue(e.getMessage().contains("network_buffers") && e.getMessage().contains(g.toString()), e.getMessage());
    }

    @Test
    void roundTripFloatAndDouble() throws IOException {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            ModelCheckpoint c = checkpoint(dt, 5);
            Path f = dir.resolve("state-" + dt + ".ckpt");
            CheckpointFile.write(f, c);
            ModelCheckpoint back = CheckpointFile.read(f);
            assertSameCheckpoint(c, back);
            int elem = dt == DataType.DOUBLE ? 8 : 4;
            assertTrue(Files.size(f) > 4L * LAYOUT.totalSize() * elem, "data present");
            byte[] head = Arrays.copyOf(Files.readAllBytes(f), 8);
            assertEquals("NGVICKPT", new String(head, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void dataIsLittleEndianAtTheHeaderOffsets() throws IOException {
        ModelCheckpoint c = checkpoint(DataType.FLOAT, 1);
        Path f = dir.resolve("le.ckpt");
        CheckpointFile.write(f, c);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(CheckpointFile.FORMAT_VERSION, b.getInt(8), "format version");
        int h = b.getInt(12);
        var header = JSON.readTree(Arrays.copyOfRange(b.array(), 16, 16 + h));
        assertEquals("float32", header.get("dtype").asText());
        var curv = header.get("buffers").get(1);
        assertEquals("curvature", curv.get("name").asText());
        long off = 16 + h + curv.get("offset").asLong();
        assertEquals(c.tensor("curvature").flat().getFloat(7), b.getFloat((int) off + 7 * 4));
        assertEquals(Files.size(f), 16 + h + header.get("data_bytes").asLong() + 4);
    }

    @Test
    void nullSpecAndEmptyMetadataRoundTrip() throws IOException {
        FlatTensor p = FlatTensor.wrap(LAYOUT, Nd4j.linspace(DataType.DOUBLE, 1, LAYOUT.totalSize(), 1));
        ModelCheckpoint c = new ModelCheckpoint(null, "sgd", null, 0, Map.of("params", p), null, null);
        Path f = dir.resolve("plain.ckpt");
        CheckpointFile.write(f, c);
        ModelCheckpoint back = CheckpointFile.read(f);
        assertNull(back.spec());
        assertSameCheckpoint(c, back);
    }

    @Test
    void corruptedByteIsAChecksumError() throws IOException {
        Path f = dir.resolve("c.ckpt");
        CheckpointFile.write(f, checkpoint(DataType.FLOAT, 2));
        byte[] good = Files.readAllBytes(f);
        int h = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        // one flipped bit in the data, in the header JSON, and in the stored checksum
        for (int pos : new int[] {16 + h + 123, 16 + 40, good.length - 2}) {
            byte[] bad = good.clone();
            bad[pos] ^= 0x10;
            Files.write(f, bad);
            IOException e = assertThrows(IOException.class, () -> CheckpointFile.read(f), "corrupt byte " + pos);
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("checksum mismatch"),
                    "byte " + pos + ": " + e.getMessage());
        }
    }

    @Test
    void truncatedFileIsAnError() throws IOException {
        Path f = dir.resolve("t.ckpt");
        CheckpointFile.write(f, checkpoint(DataType.DOUBLE, 3));
        byte[] good = Files.readAllBytes(f);
        int h = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        for (int len : new int[] {good.length - 1, good.length - 500, 16 + h + 3, 16 + h / 2, 12, 5, 0}) {
            Files.write(f, Arrays.copyOf(good, len));
            IOException e = assertThrows(IOException.class, () -> CheckpointFile.read(f), "length " + len);
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"),
                    "length " + len + ": " + e.getMessage());
        }
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        Files.write(f, longer);
        IOException e = assertThrows(IOException.class, () -> CheckpointFile.read(f));
        assertTrue(e.getMessage().contains("unexpected bytes"), e.getMessage());
    }

    @Test
    void foreignFileAndOtherVersionAreRejected() throws IOException {
        Path f = dir.resolve("foreign.json");
        Files.writeString(f, "{\"this\": \"is not a checkpoint at all\"}");
        IOException e = assertThrows(IOException.class, () -> CheckpointFile.read(f));
        assertTrue(e.getMessage().contains("not an ngvi checkpoint") && e.getMessage().contains(f.toString()), e.getMessage());

        Path v = dir.resolve("v3.ckpt");
        CheckpointFile.write(v, checkpoint(DataType.FLOAT, 4));
        byte[] b = Files.readAllBytes(v);
        b[8] = (byte) (CheckpointFile.FORMAT_VERSION + 1);
        Files.write(v, b);
        e = assertThrows(IOException.class, () -> CheckpointFile.read(v));
        assertTrue(e.getMessage().contains("unsupported checkpoint format version " + (CheckpointFile.FORMAT_VERSION + 1)),
                e.getMessage());
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("sub").resolve("model.ckpt");
        CheckpointFile.write(f, checkpoint(DataType.FLOAT, 6));
        ModelCheckpoint second = checkpoint(DataType.DOUBLE, 7);
        CheckpointFile.write(f, second); // replaces the first
        assertSameCheckpoint(second, CheckpointFile.read(f));
        try (Stream<Path> files = Files.list(f.getParent())) {
            assertEquals(List.of(f.getFileName().toString()), files.map(p -> p.getFileName().toString()).toList());
        }
        // a failing write (target is a non-empty directory) keeps nothing behind
        Path blocker = dir.resolve("blocked.ckpt");
        Files.createDirectories(blocker.resolve("x"));
        assertThrows(IOException.class, () -> CheckpointFile.write(blocker, second));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("blocked.ckpt", "sub"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void mixedLayoutsAreRejected() {
        FlatTensor a = FlatTensor.zeros(LAYOUT, DataType.FLOAT);
        FlatTensor b = FlatTensor.zeros(LAYOUT, DataType.DOUBLE);
        Map<String, FlatTensor> m = new LinkedHashMap<>();
        m.put("params", a);
        m.put("m", b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelCheckpoint(spec(), "adam", null, 0, m, null, null));
        assertTrue(e.getMessage().contains("tensors['m']"), e.getMessage());
        ModelCheckpoint c = checkpoint(DataType.FLOAT, 1);
        e = assertThrows(IllegalArgumentException.class, () -> c.tensor("v"));
        assertTrue(e.getMessage().contains("no tensor 'v'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.requireOptimizer("adam"));
        assertTrue(e.getMessage().contains("'vogn'"), e.getMessage());
    }
}
