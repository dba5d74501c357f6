package org.ngvi.spark.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

/**
 * The toy end to end on a shorter run: the full one (500 steps, grid step 0.05) takes about
 * 3 minutes on 2 cores (each frame evaluates 122 networks on ~150k grid points), so this test
 * runs 100 steps (2 frames) on a 0.25 grid, which takes seconds and already shows the property
 * the figure is about: far from the data VOGN's predictive entropy is higher than Adam's, while
 * both classify the training set.
 */
class ToyJobTest {
    @TempDir
    Path dir;

    @Test
    void vognIsMoreUncertainThanAdamFarFromTheDataAndTheFilesAreComplete() throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ToyJob.Result r = ToyJob.run(new ToyJob.Params(dir, 100, 0.25), new PrintStream(log, true, StandardCharsets.UTF_8));

        assertTrue(r.adam().trainAccuracy() >= 0.9, "Adam train accuracy " + r.adam().trainAccuracy());
        assertTrue(r.vogn().trainAccuracy() >= 0.9, "VOGN train accuracy " + r.vogn().trainAccuracy());
        assertTrue(r.vogn().entropyFarFromData() > r.adam().entropyFarFromData() + 0.02,
                "far from data VOGN " + r.vogn().entropyFarFromData() + " vs Adam " + r.adam().entropyFarFromData());

        assertEquals(2, r.frames());
        String console = log.toString(StandardCharsets.UTF_8);
        assertTrue(console.contains("step   50/100") && console.contains("step  100/100"), console);

        try (ImageInputStream in = ImageIO.createImageInputStream(r.gif().toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertEquals(2, reader.getNumImages(true)); // one frame per 50 steps
            assertEquals(ToyFrame.WIDTH, reader.read(1).getWidth());
            reader.dispose();
        }
        BufferedImage png = ImageIO.read(r.png().toFile());
        assertEquals(ToyFrame.WIDTH, png.getWidth());
        assertEquals(ToyFrame.HEIGHT, png.getHeight());

        JsonNode json = new ObjectMapper().readTree(r.json().toFile());
        assertEquals(100, json.get("steps").asInt());
        assertEquals(2, json.get("frames").asInt());
        assertEquals(r.adam().entropyFarFromData(), json.at("/adam/entropy_far_from_data").asDouble(), 0);
        assertEquals(r.vogn().entropyNearData(), json.at("/vogn/entropy_near_data").asDouble(), 0);
        assertEquals(r.vogn().trainAccuracy(), json.at("/vogn/train_accuracy").asDouble(), 0);
        assertTrue(json.get("far_from_data_grid_points").asInt() > 0);
        assertEquals(50, json.at("/settings/vogn/num_mc_samples").asInt(), json.toString());
        assertEquals(0.25, json.at("/settings/plot/grid_step").asDouble(), 0);
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        ParameterException e = assertThrows(ParameterException.class,
                () -> ToyJob.Params.parse(new String[] {"--grid-step", "0"}));
        assertTrue(e.getMessage().contains("--grid-step"), e.getMessage());
        assertThrows(ParameterException.class, () -> ToyJob.Params.parse(new String[] {"--steps", "0"}));
        ToyJob.Params p = ToyJob.Params.parse(new String[0]);
        assertEquals(Path.of("runs/toy"), p.out());
        assertEquals(500, p.steps());
        assertEquals(0.05, p.gridStep(), 0);
    }
}
