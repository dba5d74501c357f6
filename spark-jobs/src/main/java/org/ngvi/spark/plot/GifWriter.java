package org.ngvi.spark.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.ngvi.io.AtomicFiles;

/**
 * An animated GIF through ImageIO's GIF writer: every frame carries a Graphic Control Extension
 * with the delay (in 1/100 s) and the first a NETSCAPE2.0 application extension with the loop
 * count (0 = forever). RGB frames are quantised to 256 colours by the writer. Frames are written
 * to a temporary sibling file that {@link #finish()} renames onto the target; {@link #close()}
 * without {@code finish()} deletes it, leaving the target untouched.
 */
public final class GifWriter implements AutoCloseable {
    static {
        Headless.ensure();
    }

    private final Path target;
    private final Path temp;
    private final int delayCentis;
    private final int loops;
    private final ImageWriter writer;
    private final ImageOutputStream stream;
    private int frames;
    private boolean finished;

    /**
     * @param target      the GIF to write
     * @param delayMillis display time of each frame (rounded to 10 ms, the format's unit)
     * @param loops       how often the animation repeats, 0 = forever
     */
    public GifWriter(Path target, int delayMillis, int loops) throws IOException {
        if (delayMillis < 0 || loops < 0 || loops > 0xFFFF) {
            throw new IllegalArgumentException("GIF delay must be >= 0 ms and loops in [0, 65535], got "
                    + delayMillis + " ms, " + loops);
        }
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("gif");
        if (!it.hasNext()) {
            throw new IOException("no GIF writer available in ImageIO");
        }
        this.target = target.toAbsolutePath();
        Files.createDirectories(this.target.getParent());
        this.temp = AtomicFiles.tempSibling(this.target);
        this.delayCentis = Math.round(delayMillis / 10f);
        this.loops = loops;
        this.writer = it.next();
        ImageOutputStream s = null;
        try {
            s = ImageIO.createImageOutputStream(temp.toFile());
            writer.setOutput(s);
            writer.prepareWriteSequence(null);
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                s.close();
            }
            writer.dispose();
            Files.deleteIfExists(temp);
            throw e;
        }
        this.stream = s;
    }

    /** Appends a frame. */
    public void addFrame(BufferedImage image) throws IOException {
        if (finished) {
            throw new IllegalStateException("GifWriter for " + target + " is already finished");
        }
        ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(image);
        IIOMetadata meta = writer.getDefaultImageMetadata(type, null);
        String format = meta.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCentis));
        gce.setAttribute("transparentColorIndex", "0");
        if (frames == 0) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, (byte) (loops & 0xFF), (byte) ((loops >> 8) & 0xFF)});
            apps.appendChild(app);
        }
        try {
            meta.setFromTree(format, root);
        } catch (IIOInvalidTreeException e) {
            throw new IOException("GIF frame metadata rejected: " + e.getMessage(), e);
        }
        writer.writeToSequence(new IIOImage(image, null, meta), null);
        frames++;
    }

    public int frames() {
        return frames;
    }

    /** Completes the file and renames it onto the target; at least one frame is required. */
    public void finish() throws IOException {
        if (frames == 0) {
            throw new IllegalStateException("GifWriter for " + target + ": no frames were added");
        }
        writer.endWriteSequence();
        stream.close();
        writer.dispose();
        AtomicFiles.commit(temp, target);
        finished = true;
    }

    /** Releases the writer; without {@link #finish()} the partial file is deleted. */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            stream.close();
        } finally {
            writer.dispose();
            Files.deleteIfExists(temp);
        }
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
