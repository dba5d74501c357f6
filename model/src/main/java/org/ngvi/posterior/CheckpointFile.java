package org.ngvi.posterior;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.io.AtomicFiles;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.tensor.FlatTensor;
import org.ngvi.tensor.ParamLayout;
import org.ngvi.tensor.ParamSpec;

/**
 * Reads and writes {@link ModelCheckpoint}s in the ngvi checkpoint format (version
 * {@value #FORMAT_VERSION}), documented byte by byte in {@code package-info.java} of this package.
 * Writes are atomic ({@link AtomicFiles}: temporary file in the target directory, fsync, rename,
 * fsync of the directory), so a reader sees the old file or the complete new one. Reads check magic, version,
 * length and a CRC32 of everything and fail with an {@link IOException} naming the file and what
 * is wrong.
 */
public final class CheckpointFile {
    /** The first 8 bytes of every checkpoint. */
    public static final byte[] MAGIC = "NGVICKPT".getBytes(StandardCharsets.US_ASCII);
    /**
     * The format version this class writes. Version 2 added the optional {@code network_buffers}
     * (BatchNorm running statistics); version 1 files (without them) are still read.
     */
    public static final int FORMAT_VERSION = 2;
    /** The oldest format version this class reads. */
    public static final int OLDEST_READABLE_VERSION = 1;

    private static final int PREFIX = 16; // magic (8) + version (4) + header length (4)
    private static final int TRAILER = 4; // CRC32
    private static final int CHUNK = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointFile() {
    }

    /**
     * Writes {@code c} to {@code file} atomically ({@link AtomicFiles}), replacing an existing file
     * only once the new one is complete and on disk; a failed write (e.g. a full disk) leaves the
     * old file intact and throws.
     */
    public static void write(Path file, ModelCheckpoint c) throws IOException {
        byte[] header = JSON.writeValueAsBytes(header(c));
        AtomicFiles.writeChannel(file, ch -> {
            CRC32 crc = new CRC32();
            ByteBuffer prefix = ByteBuffer.allocate(PREFIX).order(ByteOrder.LITTLE_ENDIAN);
            prefix.put(MAGIC).putInt(FORMAT_VERSION).putInt(header.length).flip();
            crc.update(prefix.array(), 0, PREFIX);
            writeFully(ch, prefix);
            crc.update(header);
            writeFully(ch, ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (FlatTensor t : c.tensors().values()) {
                writeTensor(ch, t, chunk, crc);
            }
            if (c.runningStats() != null) {
                writeTensor(ch, c.runningStats(), chunk, crc);
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
            trailer.putInt((int) crc.getValue()).flip();
            writeFully(ch, trailer);
        });
    }

    /** Reads a checkpoint, verifying magic, version, length and checksum. */
    public static ModelCheckpoint read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer prefix = ByteBuffer.allocate(PREFIX).order(ByteOrder.LITTLE_ENDIAN);
            readAvailable(ch, prefix, 0);
            int got = prefix.position();
            for (int i = 0; i < Math.min(got, MAGIC.length); i++) {
                if (prefix.get(i) != MAGIC[i]) {
                    throw fail(file, "not an ngvi checkpoint (the file does not start with \"NGVICKPT\")");
                }
            }
            if (got < PREFIX) {
                throw fail(file, "truncated: only " + size + " bytes, shorter than the " + PREFIX + "-byte prefix");
            }
            int version = prefix.getInt(8);
            if (version < OLDEST_READABLE_VERSION || version > FORMAT_VERSION) {
                throw fail(file, "unsupported checkpoint format version " + version + " (this reader supports versions "
                        + OLDEST_READABLE_VERSION + " to " + FORMAT_VERSION + ")");
            }
            int headerLen = prefix.getInt(12);
            if (headerLen <= 0 || PREFIX + (long) headerLen + TRAILER > size) {
                throw fail(file, "truncated or corrupt: header length " + headerLen + " does not fit in a file of "
                        + size + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate(headerLen);
            readFully(ch, hb, PREFIX, file);
            CRC32 crc = new CRC32();
            crc.update(prefix.array(), 0, PREFIX);
            crc.update(hb.array(), 0, headerLen);
            Header h;
            try {
                h = parseHeader(hb.array(), version);
            } catch (IOException | RuntimeException e) {
                if (!wholeFileChecksumOk(ch, size)) {
                    throw fail(file, "checksum mismatch (the file is corrupt)");
                }
                throw fail(file, "malformed header: " + e.getMessage());
            }
            long expected = PREFIX + (long) headerLen + h.dataBytes + TRAILER;
            if (size != expected) {
                if (wholeFileChecksumOk(ch, size)) {
                    throw fail(file, "malformed header: data_bytes " + h.dataBytes + " disagrees with the file size " + size);
                }
                throw fail(file, size < expected
                        ? "truncated: " + size + " bytes, but the header describes " + expected
                        : (size - expected) + " unexpected bytes after the end of the checkpoint (" + expected + " bytes)");
            }
            Map<String, FlatTensor> tensors = new LinkedHashMap<>();
            long pos = PREFIX + (long) headerLen;
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (String name : h.bufferNames) {
                FlatTensor t = FlatTensor.zeros(h.layout, h.dtype);
                pos = readTensor(ch, pos, t, chunk, crc, file);
                tensors.put(name, t);
            }
            FlatTensor runningStats = null;
            if (h.runningStatsLayout != null) {
                runningStats = FlatTensor.zeros(h.runningStatsLayout, h.dtype);
                pos = readTensor(ch, pos, runningStats, chunk, crc, file);
            }
            ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, trailer, pos, file);
            int stored = trailer.getInt(0);
            if (stored != (int) crc.getValue()) {
                throw fail(file, String.format("checksum mismatch (stored CRC32 %08x, computed %08x): the file is corrupt",
                        stored, (int) crc.getValue()));
            }
            try {
                return new ModelCheckpoint(h.spec, h.optimizer, h.optimizerParams, h.step, tensors, h.scalars, h.metadata,
                        runningStats);
            } catch (RuntimeException e) {
                throw fail(file, "invalid checkpoint content: " + e.getMessage());
            }
        }
    }

    private static IOException fail(Path file, String what) {
        return new IOException(file + ": " + what);
    }

    // ---------------------------------------------------------------- header

    private static ObjectNode header(ModelCheckpoint c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", "ngvi-checkpoint");
        n.put("format_version", FORMAT_VERSION);
        n.put("byte_order", "little_endian");
        n.put("dtype", c.dataType() == DataType.DOUBLE ? "float64" : "float32");
        layoutJson(n.putArray("layout"), c.layout());
        int elem = c.dataType() == DataType.DOUBLE ? 8 : 4;
        long bytesPer = c.layout().totalSize() * elem;
        ArrayNode bufs = n.putArray("buffers");
        long off = 0;
        for (String name : c.tensors().keySet()) {
            ObjectNode b = bufs.addObject();
            b.put("name", name);
            b.put("offset", off);
            b.put("bytes", bytesPer);
            off += bytesPer;
        }
        if (c.runningStats() == null) {
            n.putNull("network_buffers");
        } else {
            ObjectNode nb = n.putObject("network_buffers");
            layoutJson(nb.putArray("layout"), c.runningStats().layout());
            long bytes = c.runningStats().layout().totalSize() * elem;
            nb.put("offset", off);
            nb.put("bytes", bytes);
            off += bytes;
        }
        n.put("data_bytes", off);
        if (c.spec() == null) {
            n.putNull("network");
        } else {
            n.set("network", c.spec().toJson());
        }
        n.put("optimizer", c.optimizer());
        n.set("optimizer_params", c.optimizerParams());
        n.put("step", c.step());
        ObjectNode sc = n.putObject("scalars");
        for (Map.Entry<String, double[]> e : c.scalars().entrySet()) {
            ArrayNode a = sc.putArray(e.getKey());
            for (double v : e.getValue()) {
                a.add(v);
            }
        }
        n.set("metadata", c.metadata());
        return n;
    }

    private static void layoutJson(ArrayNode target, ParamLayout layout) {
        for (ParamSpec s : layout.specs()) {
            ObjectNode e = target.addObject();
            e.put("name", s.name());
            ArrayNode shape = e.putArray("shape");
            for (long d : s.shape()) {
                shape.add(d);
            }
        }
    }

    private static ParamLayout parseLayout(JsonNode entries, String where) {
        List<ParamSpec> specs = new ArrayList<>();
        for (JsonNode e : entries) {
            JsonNode shape = e.get("shape");
            if (shape == null || !shape.isArray()) {
                throw new IllegalArgumentException(where + " entry " + e + ": field 'shape' must be an array");
            }
            long[] s = new long[shape.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = shape.get(i).asLong();
            }
            specs.add(new ParamSpec(text(e, "name"), s));
        }
        return new ParamLayout(specs);
    }

    private record Header(ParamLayout layout, DataType dtype, List<String> bufferNames, ParamLayout runningStatsLayout,
                          long dataBytes,
                          NetworkSpec spec, String optimizer, ObjectNode optimizerParams, long step,
                          Map<String, double[]> scalars, ObjectNode metadata) {
    }

    private static Header parseHeader(byte[] bytes, int version) throws JsonProcessingException, IOException {
        JsonNode n = JSON.readTree(bytes);
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("header is not a JSON object");
        }
        String dt = text(n, "dtype");
        DataType dtype = switch (dt) {
            case "float32" -> DataType.FLOAT;
            case "float64" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("field 'dtype' must be \"float32\" or \"float64\" (got \"" + dt + "\")");
        };
        if (!"little_endian".equals(text(n, "byte_order"))) {
            throw new IllegalArgumentException("field 'byte_order' must be \"little_endian\"");
        }
        ParamLayout layout = parseLayout(array(n, "layout"), "layout");
        int elem = dtype == DataType.DOUBLE ? 8 : 4;
        long bytesPer = layout.totalSize() * elem;
        List<String> names = new ArrayList<>();
        long off = 0;
        for (JsonNode b : array(n, "buffers")) {
            String name = text(b, "name");
            if (integer(b, "offset") != off || integer(b, "bytes") != bytesPer) {
                throw new IllegalArgumentException("buffer '" + name + "': offset/bytes " + b.get("offset") + "/"
                        + b.get("bytes") + " do not match the layout (expected " + off + "/" + bytesPer + ")");
            }
            names.add(name);
            off += bytesPer;
        }
        ParamLayout runningStatsLayout = null;
        JsonNode nb = n.get("network_buffers");
        if (nb != null && !nb.isNull()) {
            if (version < 2) {
                throw new IllegalArgumentException("field 'network_buffers' is not part of format version " + version);
            }
            if (!nb.isObject()) {
                throw new IllegalArgumentException("field 'network_buffers' must be null or an object {layout, offset, bytes}");
            }
            runningStatsLayout = parseLayout(array(nb, "layout"), "network_buffers.layout");
            long nbBytes = runningStatsLayout.totalSize() * elem;
            if (runningStatsLayout.size() == 0 || integer(nb, "offset") != off || integer(nb, "bytes") != nbBytes) {
                throw new IllegalArgumentException("network_buffers: offset/bytes " + nb.get("offset") + "/" + nb.get("bytes")
                        + " do not match its layout (expected a non-empty layout at " + off + "/" + nbBytes + ")");
            }
            off += nbBytes;
        }
        long dataBytes = integer(n, "data_bytes");
        if (dataBytes != off) {
            throw new IllegalArgumentException("field 'data_bytes' is " + dataBytes + ", the buffers need " + off);
        }
        JsonNode net = n.get("network");
        NetworkSpec spec = net == null || net.isNull() ? null : NetworkSpec.fromJson(net);
        JsonNode op = n.get("optimizer_params");
        if (op == null || !op.isObject()) {
            throw new IllegalArgumentException("field 'optimizer_params' must be an object");
        }
        Map<String, double[]> scalars = new LinkedHashMap<>();
        JsonNode sc = n.get("scalars");
        if (sc == null || !sc.isObject()) {
            throw new IllegalArgumentException("field 'scalars' must be an object of number arrays");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = sc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw new IllegalArgumentException("scalars['" + e.getKey() + "'] must be an array of numbers");
            }
            double[] a = new double[e.getValue().size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = e.getValue().get(i).asDouble();
            }
            scalars.put(e.getKey(), a);
        }
        JsonNode md = n.get("metadata");
        if (md == null || !md.isObject()) {
            throw new IllegalArgumentException("field 'metadata' must be an object");
        }
        return new Header(layout, dtype, names, runningStatsLayout, dataBytes, spec, text(n, "optimizer"), (ObjectNode) op,
                integer(n, "step"), scalars, (ObjectNode) md);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static long integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer");
        }
        return v.asLong();
    }

    private static JsonNode array(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be an array");
        }
        return v;
    }

    // ---------------------------------------------------------------- data

    private static void writeTensor(FileChannel ch, FlatTensor t, ByteBuffer chunk, CRC32 crc) throws IOException {
        boolean dbl = t.dataType() == DataType.DOUBLE;
        int elem = dbl ? 8 : 4;
        long n = t.layout().totalSize();
        int base = Math.toIntExact(t.flat().offset());
        requireDense(t);
        int per = CHUNK / elem;
        for (long done = 0; done < n; ) {
            int cnt = (int) Math.min(per, n - done);
            chunk.clear();
            if (dbl) {
                DoubleBuffer src = t.flat().data().asNioDouble();
                src.position(base + (int) done).limit(base + (int) done + cnt);
                chunk.asDoubleBuffer().put(src);
            } else {
                FloatBuffer src = t.flat().data().asNioFloat();
                src.position(base + (int) done).limit(base + (int) done + cnt);
                chunk.asFloatBuffer().put(src);
            }
            chunk.limit(cnt * elem);
            crc.update(chunk.array(), 0, cnt * elem);
            writeFully(ch, chunk);
            done += cnt;
        }
    }

    private static long readTensor(FileChannel ch, long pos, FlatTensor t, ByteBuffer chunk, CRC32 crc, Path file)
            throws IOException {
        boolean dbl = t.dataType() == DataType.DOUBLE;
        int elem = dbl ? 8 : 4;
        long n = t.layout().totalSize();
        int base = Math.toIntExact(t.flat().offset());
        int per = CHUNK / elem;
        for (long done = 0; done < n; ) {
            int cnt = (int) Math.min(per, n - done);
            chunk.clear().limit(cnt * elem);
            readFully(ch, chunk, pos, file);
            pos += (long) cnt * elem;
            crc.update(chunk.array(), 0, cnt * elem);
            chunk.flip();
            if (dbl) {
                DoubleBuffer dst = t.flat().data().asNioDouble();
                dst.position(base + (int) done);
                dst.put(chunk.asDoubleBuffer());
            } else {
                FloatBuffer dst = t.flat().data().asNioFloat();
                dst.position(base + (int) done);
                dst.put(chunk.asFloatBuffer());
            }
            done += cnt;
        }
        return pos;
    }

    private static void requireDense(FlatTensor t) {
        if (t.flat().length() > 1 && t.flat().elementWiseStride() != 1) {
            throw new IllegalArgumentException("checkpoint buffer is not a contiguous vector");
        }
    }

    private static boolean wholeFileChecksumOk(FileChannel ch, long size) throws IOException {
        if (size < PREFIX + TRAILER) {
            return false;
        }
        CRC32 crc = new CRC32();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        long pos = 0;
        long end = size - TRAILER;
        while (pos < end) {
            chunk.clear().limit((int) Math.min(CHUNK, end - pos));
            int r = ch.read(chunk, pos);
            if (r < 0) {
                return false;
            }
            crc.update(chunk.array(), 0, chunk.position());
            pos += chunk.position();
        }
        ByteBuffer trailer = ByteBuffer.allocate(TRAILER).order(ByteOrder.LITTLE_ENDIAN);
        readAvailable(ch, trailer, end);
        return trailer.position() == TRAILER && trailer.getInt(0) == (int) crc.getValue();
    }

    private static void readAvailable(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                return;
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file) throws IOException {
        int start = b.position();
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position() - start);
            if (r < 0) {
                throw new EOFException(file + ": truncated: unexpected end of file at byte " + (pos + b.position() - start));
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        AtomicFiles.writeFully(ch, b);
    }
}
