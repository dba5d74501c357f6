package org.ngvi.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ngvi.spark.config.ConfigException;
import org.ngvi.spark.config.TrainConfig;

class CheckpointPolicyTest {
    private static TrainConfig parse(String json) {
        return TrainConfig.parse("cfg.json", json.getBytes(StandardCharsets.UTF_8), List.of());
    }

    @Test
    void defaultWritesAtEpochEndsTheLastRoundAndEveryTenMinutes() {
        CheckpointPolicy p = CheckpointPolicy.of(parse("{}"));
        assertEquals(CheckpointPolicy.DEFAULT, p);
        assertFalse(p.due(1, 1.0, false, false), "not every round");
        assertFalse(p.due(5000, 599.0, false, false));
        assertTrue(p.due(5000, 600.0, false, false));
        assertTrue(p.due(1, 0.1, true, false), "epoch end");
        assertTrue(p.due(1, 0.1, false, true), "last round");
    }

    @Test
    void configKeysSetRoundsAndSeconds() {
        CheckpointPolicy p = CheckpointPolicy.of(parse("{\"checkpoint_every\": 50, \"checkpoint_seconds\": 0}"));
        assertEquals(new CheckpointPolicy(50, 0), p);
        assertFalse(p.due(49, 1e6, false, false), "time does not count with checkpoint_seconds 0");
        assertTrue(p.due(50, 0, false, false));
        assertTrue(p.describe().contains("every 50 rounds"), p.describe());
        assertTrue(parse("{\"checkpoint_every\": 1}").checkpointEvery() == 1);
        ConfigException e = assertThrows(ConfigException.class, () -> parse("{\"checkpoint_every\": -1}"));
        assertTrue(e.getMessage().contains("key 'checkpoint_every'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse("{\"checkpoint_seconds\": \"often\"}"));
        assertTrue(e.getMessage().contains("key 'checkpoint_seconds'"), e.getMessage());
    }
}
