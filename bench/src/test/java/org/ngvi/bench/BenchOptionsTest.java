package org.ngvi.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ngvi.cli.Cli;
import picocli.CommandLine.ParameterException;

/** bench/run keeps its flags under picocli; nothing is measured here. */
class BenchOptionsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        Bench b = Cli.parse(new Bench());
        assertEquals(300, b.steps);
        assertEquals(10, b.localSteps);
        assertFalse(b.skipSpark);
        assertNull(b.reference);
        assertNull(b.crossCheck);
        assertEquals(1, b.crossSeed);
        assertEquals(3, b.crossEpochs);
        assertEquals(20, b.resnetSteps);
        assertFalse(b.reader || b.conv || b.prep || b.tuned || b.dl4jSpark || b.cuda);
        assertEquals(List.of("mlp", "lenet"), b.dl4jModels);
    }

    @Test
    void everyFlagParses() {
        Bench b = Cli.parse(new Bench(), "--steps", "50", "--local-steps", "4", "--skip-spark", "--tuned", "--reference", "2-4",
                "--only", "adam", "--set", "epochs=1", "--set", "seed=2", "--cross-check", "x", "--seed", "5", "--epochs", "2",
                "--reader", "--conv", "--resnet-steps", "3", "--prep", "--dl4j-spark", "--dl4j-models", "lenet", "--cuda");
        assertEquals(50, b.steps);
        assertEquals(4, b.localSteps);
        assertTrue(b.skipSpark && b.tuned && b.reader && b.conv && b.prep && b.dl4jSpark && b.cuda);
        assertArrayEquals(new int[] {2, 3, 4}, b.reference.seeds());
        assertEquals("adam", b.only);
        assertEquals(List.of("epochs=1", "seed=2"), b.overrides.overrides());
        assertEquals(Path.of("x"), b.crossCheck);
        assertEquals(5, b.crossSeed);
        assertEquals(2, b.crossEpochs);
        assertEquals(3, b.resnetSteps);
        assertEquals(List.of("lenet"), b.dl4jModels);
        assertArrayEquals(new int[] {1, 2, 3}, Cli.parse(new Bench(), "--reference", "3").reference.seeds());
    }

    @Test
    void badFlagsAreUsageErrorsNamingTheOption() {
        ParameterException e = assertThrows(ParameterException.class, () -> Cli.parse(new Bench(), "--reference", "3-1"));
        assertTrue(e.getMessage().contains("Invalid value for option '--reference': expected S (seeds 1..S) or FROM-TO, found '3-1'"),
                e.getMessage());
        e = assertThrows(ParameterException.class, () -> Cli.parse(new Bench(), "--stpes", "3"));
        assertTrue(e.getMessage().contains("'--stpes'"), e.getMessage());
    }
}
