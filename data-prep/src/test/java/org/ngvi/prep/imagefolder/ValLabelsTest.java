package org.ngvi.prep.imagefolder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValLabelsTest {
    private static final List<String> CLASSES = List.of("n01", "n02", "n03");
    private static final List<String> FILES = List.of("ILSVRC2012_val_00000001.JPEG", "ILSVRC2012_val_00000002.JPEG",
            "b.png", "c.jpg");

    private static int[] parse(String text) throws ImageFolderFormatException {
        return ValLabels.parse("labels.txt", text.getBytes(StandardCharsets.UTF_8), FILES, CLASSES);
    }

    @Test
    void acceptsWhitespaceCommaAndLocSolutionLines() throws Exception {
        assertArrayEquals(new int[]{2, 0, 1, 1}, parse("ILSVRC2012_val_00000001.JPEG n03\nILSVRC2012_val_00000002.JPEG\tn01\n"
                + "b.png   n02\r\nc.jpg n02\n"));
        assertArrayEquals(new int[]{2, 0, 1, 1}, parse("\uFEFF# a comment\n\nc.jpg,n02\nb.png, n02\n"
                + "ILSVRC2012_val_00000001.JPEG,n03\nILSVRC2012_val_00000002.JPEG ,n01"));
        assertArrayEquals(new int[]{2, 0, 1, 1}, parse("ImageId,PredictionString\n"
                + "ILSVRC2012_val_00000002,n01 255 142 454 329 n01 44 21 322 295\n"
                + "ILSVRC2012_val_00000001,n03 1 2 3 4\nb,n02 0 0 5 5\nc,n02 0 0 5 5\n"));
    }

    @Test
    void anythingElseNamesTheFileLineAndProblem() {
        assertError("b.png n02\nc.jpg n02 extra\n", "labels.txt", "line 2", "has 3 whitespace-separated fields",
                "expected 'NAME CLASS' or 'NAME,CLASS'");
        assertError("b.png\n", "line 1", "has 1 whitespace-separated field,");
        assertError("b.png,\n", "line 1", "has no class after the comma");
        assertError(",n01\n", "line 1", "empty image name");
        assertError("d.png n01\n", "line 1", "names 'd.png', which is not an image file directly in val/");
        assertError("b.png wolf\n", "line 1", "class 'wolf' is not one of the 3 train classes", "n01, n02, n03");
        assertError("b.png 1\n", "class '1' is not one of the 3 train classes");
        assertError("b.png n01\nb n02\n", "line 2", "labels b.png again (first on line 1)");
        assertError("b.png n01\nc.jpg n01\n", "has no line for 2 of the 4 images in val/",
                "ILSVRC2012_val_00000001.JPEG, ILSVRC2012_val_00000002.JPEG");
        assertError("ImageId,PredictionString\nb.png n01\nImageId,PredictionString\n", "line 3", "names 'ImageId'");
        ImageFolderFormatException e = assertThrows(ImageFolderFormatException.class, () -> ValLabels.parse("l.txt",
                new byte[]{(byte) 0xff, (byte) 0xfe, 'a'}, FILES, CLASSES));
        assertTrue(e.getMessage().contains("is not UTF-8 text"), e.getMessage());
        e = assertThrows(ImageFolderFormatException.class, () -> ValLabels.parse("l.txt",
                "a n01\n".getBytes(StandardCharsets.UTF_8), List.of("a.jpg", "a.png"), CLASSES));
        assertTrue(e.getMessage().contains("the name without extension of more than one image"), e.getMessage());
    }

    private static void assertError(String text, String... parts) {
        ImageFolderFormatException e = assertThrows(ImageFolderFormatException.class, () -> parse(text));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
        }
    }
}
