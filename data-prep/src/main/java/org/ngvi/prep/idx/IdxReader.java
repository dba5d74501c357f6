package org.ngvi.prep.idx;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * Streaming reader of uint8 IDX files (MNIST format), raw or gzipped. Gzip is detected from the
 * first two bytes ({@code 1f 8b}), never from the file name.
 *
 * <pre>{@code
 * try (IdxReader images = IdxReader.open(path, IdxReader.IMAGES_MAGIC)) {
 *     byte[] img = new byte[(int) images.header().recordBytes()];
 *     for (long i = 0; i < images.header().count(); i++) {
 *         images.readRecord(img);        // rows·cols pixels, row-major
 *     }
 *     images.checkEnd();                 // no trailing bytes, gzip CRC verified
 * }
 * }</pre>
 *
 * Errors are {@link IdxFormatException}s naming the file: wrong magic number (expected versus
 * found), a header or data shorter than the header promises ("expected N bytes of data, found
 * M"), trailing bytes, unreadable gzip; {@link #checkSameCount} names both files of an
 * image/label count mismatch. Not thread-safe; one reader per stream.
 */
public final class IdxReader implements Closeable {
    /** Magic number of uint8 image files {@code [n, rows, cols]}. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of uint8 label files {@code [n]}. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Pass as {@code expectedMagic} to accept any uint8 IDX file. */
    public static final int ANY_UINT8 = -1;

    private static final int BUFFER = 1 << 16;

    private final InputStream in;
    private final IdxHeader header;
    private long next;

    private IdxReader(InputStream in, IdxHeader header, long next) {
        this.in = in;
        this.header = header;
        this.next = next;
    }

    /** Opens a local file and reads its header, checking the magic number. */
    public static IdxReader open(Path file, int expectedMagic) throws IOException {
        return open(FileChannel.open(file, StandardOpenOption.READ), file.toString(), expectedMagic);
    }

    private static IdxReader open(FileChannel ch, String source, int expectedMagic) throws IOException {
        InputStream raw = Channels.newInputStream(ch);
        try {
            return open(raw, source, expectedMagic);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Opens a local file positioned at record {@code firstRecord}: raw files seek directly to
     * {@link IdxHeader#offsetOf(long)}, gzipped files decompress and discard the records before.
     */
    public static IdxReader open(Path file, int expectedMagic, long firstRecord) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        IdxReader r = open(ch, file.toString(), expectedMagic);
        try {
            if (firstRecord < 0 || firstRecord > r.header.count()) {
                throw new IllegalArgumentException("first record " + firstRecord + " outside [0, " + r.header.count() + "]");
            }
            if (r.header.gzipped()) {
                r.skip(firstRecord);
                return r;
            }
            ch.position(r.header.offsetOf(firstRecord));
            return new IdxReader(new BufferedInputStream(Channels.newInputStream(ch), BUFFER), r.header, firstRecord);
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /**
     * Opens a stream (raw or gzipped IDX bytes from its start; this reader closes it) and reads
     * the header.
     *
     * @param source        the file's name for messages
     * @param expectedMagic {@link #IMAGES_MAGIC}, {@link #LABELS_MAGIC} or {@link #ANY_UINT8}
     */
    public static IdxReader open(InputStream stream, String source, int expectedMagic) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(stream, BUFFER);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        InputStream data = buffered;
        if (gzip) {
            try {
                data = new GuardedGzip(new GZIPInputStream(buffered, BUFFER), source);
            } catch (IOException e) {
                throw new IdxFormatException(source, "unreadable gzip (starts with the gzip magic 1f 8b but "
                        + e.getMessage() + ")", e);
            }
        }
        IdxHeader header = readHeader(data, source, expectedMagic, gzip);
        return new IdxReader(data, header, 0);
    }

    /**
     * Continues reading a file whose header is already known from a stream positioned at record
     * {@code firstRecord} of the uncompressed data (e.g. a raw file seeked to
     * {@code header.offsetOf(firstRecord)}). This reader closes the stream.
     */
    public static IdxReader resume(InputStream positioned, IdxHeader header, long firstRecord) {
        if (header.gzipped()) {
            throw new IllegalArgumentException("cannot resume a gzipped IDX file at an offset: " + header.source());
        }
        if (firstRecord < 0 || firstRecord > header.count()) {
            throw new IllegalArgumentException("first record " + firstRecord + " outside [0, " + header.count() + "]");
        }
        return new IdxReader(new BufferedInputStream(positioned, BUFFER), header, firstRecord);
    }

    /** Reads only the header of a local file (and closes it). */
    public static IdxHeader readHeader(Path file, int expectedMagic) throws IOException {
        try (IdxReader r = open(file, expectedMagic)) {
            return r.header();
        }
    }

    /**
     * Checks that an image file and a label file hold the same number of records.
     *
     * @throws IdxFormatException naming both files and both counts
     */
    public static void checkSameCount(IdxHeader images, IdxHeader labels) throws IdxFormatException {
        if (images.count() != labels.count()) {
            throw new IdxFormatException(images.source(), "image/label count mismatch: images file " + images.source()
                    + " has " + images.count() + " images but labels file " + labels.source() + " has "
                    + labels.count() + " labels");
        }
    }

    private static IdxHeader readHeader(InputStream in, String source, int expectedMagic, boolean gzip) throws IOException {
        byte[] m = new byte[4];
        int got = readFully(in, m, 0, 4);
        if (got < 4) {
            throw new IdxFormatException(source, "too short for an IDX header: expected a 4-byte magic number, found "
                    + got + " bytes" + (gzip ? " (after gunzip)" : ""));
        }
        int magic = ((m[0] & 0xff) << 24) | ((m[1] & 0xff) << 16) | ((m[2] & 0xff) << 8) | (m[3] & 0xff);
        boolean uint8 = (magic >>> 8) == 0x08 && (magic & 0xff) >= 1;
        if (expectedMagic == ANY_UINT8 ? !uint8 : magic != expectedMagic) {
            throw new IdxFormatException(source, "wrong magic number: expected "
                    + (expectedMagic == ANY_UINT8 ? "0x000008NN (uint8 IDX)" : hex(expectedMagic) + " (" + describeMagic(expectedMagic) + ")")
                    + ", found " + hex(magic) + " (" + describeMagic(magic) + ")" + (gzip ? " after gunzip" : ""));
        }
        int rank = magic & 0xff;
        byte[] d = new byte[4 * rank];
        got = readFully(in, d, 0, d.length);
        if (got < d.length) {
            throw new IdxFormatException(source, "truncated header: expected " + rank + " 4-byte dimensions (" + d.length
                    + " bytes) after the magic number, found " + got + " bytes");
        }
        long count = 0;
        int[] dims = new int[rank - 1];
        for (int i = 0; i < rank; i++) {
            int v = ((d[4 * i] & 0xff) << 24) | ((d[4 * i + 1] & 0xff) << 16) | ((d[4 * i + 2] & 0xff) << 8) | (d[4 * i + 3] & 0xff);
            if (v < 0) {
                throw new IdxFormatException(source, "dimension " + i + " is " + Integer.toUnsignedString(v)
                        + ", larger than supported (2^31 - 1)");
            }
            if (i == 0) {
                count = v;
            } else {
                dims[i - 1] = v;
            }
        }
        return new IdxHeader(source, magic, count, dims, gzip);
    }

    static String hex(int v) {
        return String.format("0x%08X", v);
    }

    static String describeMagic(int magic) {
        if (magic == IMAGES_MAGIC) {
            return "uint8 images [n, rows, cols]";
        }
        if (magic == LABELS_MAGIC) {
            return "uint8 labels [n]";
        }
        if ((magic >>> 8) == 0x08) {
            return "uint8 with " + (magic & 0xff) + " dimensions";
        }
        if ((magic >>> 16) != 0) {
            return "not an IDX file";
        }
        return "IDX type 0x" + Integer.toHexString((magic >>> 8) & 0xff) + ", not uint8";
    }

    /** The header. */
    public IdxHeader header() {
        return header;
    }

    /** Index of the next record {@link #readRecord} returns. */
    public long position() {
        return next;
    }

    /** Records left to read. */
    public long remaining() {
        return header.count() - next;
    }

    /**
     * Reads the next record (image: {@code rows·cols} bytes row-major; label: 1 byte) into the
     * first {@link IdxHeader#recordBytes()} bytes of {@code dst}.
     *
     * @throws IdxFormatException the data ends early ("truncated: expected N bytes of data, found M")
     */
    public void readRecord(byte[] dst) throws IOException {
        int len = (int) header.recordBytes();
        if (dst.length < len) {
            throw new IllegalArgumentException("buffer of " + dst.length + " bytes is smaller than a record (" + len + ")");
        }
        if (next >= header.count()) {
            throw new IllegalStateException("all " + header.count() + " records of " + header.source() + " were read");
        }
        int got = readFully(in, dst, 0, len);
        if (got < len) {
            throw truncated(next * header.recordBytes() + got);
        }
        next++;
    }

    /** Reads the next label (records of one byte), {@code 0..255}. */
    public int readLabel() throws IOException {
        if (header.recordBytes() != 1) {
            throw new IllegalStateException(header.source() + " holds records of " + header.recordBytes() + " bytes, not labels");
        }
        byte[] b = new byte[1];
        readRecord(b);
        return b[0] & 0xff;
    }

    /** Reads all remaining records into one array ({@code remaining·recordBytes} bytes). */
    public byte[] readRemaining() throws IOException {
        long n = remaining() * header.recordBytes();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(header.source() + ": " + n + " bytes do not fit in one array");
        }
        byte[] out = new byte[(int) n];
        int got = readFully(in, out, 0, out.length);
        if (got < out.length) {
            throw truncated(next * header.recordBytes() + got);
        }
        next = header.count();
        return out;
    }

    /** Reads and discards {@code records} records (truncation is still detected). */
    public void skip(long records) throws IOException {
        if (records < 0 || records > remaining()) {
            throw new IllegalArgumentException("cannot skip " + records + " records, " + remaining() + " remain");
        }
        byte[] buf = new byte[BUFFER];
        long left = records * header.recordBytes();
        long start = next * header.recordBytes();
        while (left > 0) {
            int got = readFully(in, buf, 0, (int) Math.min(buf.length, left));
            if (got == 0) {
                throw truncated(start + records * header.recordBytes() - left);
            }
            left -= got;
        }
        next += records;
    }

    /**
     * After the last record: checks that nothing follows the data (and, for gzip, reads the
     * trailer so its CRC is verified).
     *
     * @throws IdxFormatException trailing bytes after the declared data
     */
    public void checkEnd() throws IOException {
        if (next != header.count()) {
            throw new IllegalStateException(remaining() + " records of " + header.source() + " are unread");
        }
        byte[] buf = new byte[BUFFER];
        long extra = 0;
        int r;
        while ((r = in.read(buf)) != -1) {
            extra += r;
        }
        if (extra > 0) {
            throw new IdxFormatException(header.source(), "has " + extra + " bytes of trailing data after the "
                    + header.count() + " records (expected exactly " + header.totalBytes() + " bytes"
                    + (header.gzipped() ? " after gunzip" : "") + ")");
        }
    }

    /** Reads all remaining records and {@link #checkEnd() checks the end}: a full validation pass. */
    public void verifyRemaining() throws IOException {
        skip(remaining());
        checkEnd();
    }

    private IdxFormatException truncated(long foundDataBytes) {
        return new IdxFormatException(header.source(), "truncated: expected " + header.dataBytes() + " bytes of data ("
                + header.describe() + ") after the " + header.headerBytes() + "-byte header, found only " + foundDataBytes
                + (header.gzipped() ? " after gunzip" : ""));
    }

    private static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int r = in.read(b, off + total, len - total);
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Turns every I/O error of the decompressor into an {@link IdxFormatException} naming the file. */
    private static final class GuardedGzip extends FilterInputStream {
        private final String source;

        GuardedGzip(InputStream gz, String source) {
            super(gz);
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw wrap(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw wrap(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                throw wrap(e);
            }
        }

        private IOException wrap(IOException e) {
            if (e instanceof IdxFormatException) {
                return e;
            }
            return new IdxFormatException(source, "unreadable gzip data (corrupt or truncated compressed stream: "
                    + e + ")", e);
        }
    }
}
