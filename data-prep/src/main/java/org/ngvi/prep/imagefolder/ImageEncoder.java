package org.ngvi.prep.imagefolder;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Re-encodes a cropped RGB image for {@code --store encoded}: JPEG at quality
 * {@value #JPEG_QUALITY} (baseline, 4:2:0 chroma, as ImageIO writes it) when the source was a
 * JPEG, lossless PNG otherwise (so a PNG source keeps its exact pixels).
 */
public final class ImageEncoder {
    /** The {@code format} column value of JPEG-encoded rows. */
    public static final String JPEG = "jpeg";
    /** The {@code format} column value of PNG-encoded rows. */
    public static final String PNG = "png";
    /** JPEG quality, in ImageIO's 0..1 scale (libjpeg quality 90). */
    public static final float JPEG_QUALITY = 0.9f;

    private ImageEncoder() {
    }

    /** The stored format for an image decoded from {@code sourceFormat}: {@value #JPEG} for JPEG sources, else {@value #PNG}. */
    public static String formatFor(String sourceFormat) {
        return JPEG.equals(sourceFormat) ? JPEG : PNG;
    }

    /** Encodes {@code width×height} HWC RGB bytes in {@code format} ({@value #JPEG} or {@value #PNG}). */
    public static byte[] encode(byte[] rgb, int width, int height, String format) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int p = 0; p < width * height * 3; p += 3) {
            bgr[p] = rgb[p + 2];
            bgr[p + 1] = rgb[p + 1];
            bgr[p + 2] = rgb[p];
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(width * height);
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (JPEG.equals(format)) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a " + width + "×" + height + " image as " + format + " in memory", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
