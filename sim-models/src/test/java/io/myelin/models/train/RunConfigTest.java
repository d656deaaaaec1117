package io.myelin.models.train;

import io.myelin.core.InvalidInputException;
import io.myelin.models.delay.DelaySnnConfig;
import io.myelin.models.qsd.QsdConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One config reader for every kind: "kind" picks the recipe, and a config without it is a delay SNN's. */
class RunConfigTest {
    static Path shipped(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples/configs"))) {
            dir = dir.getParent();
        }
        return dir.resolve("examples/configs").resolve(name);
    }

    @Test
    void theKindPicksTheConfigAndNoKindIsADelaySnn(@TempDir Path tmp) throws IOException {
        for (String f : new String[]{"shd-delays.json", "ssc-delays.json", "shd-nodelays.json", "shd-random-delays.json"}) {
            RunConfig c = RunConfig.read(shipped(f));
            assertInstanceOf(DelaySnnConfig.class, c, f);
            assertEquals(DelaySnnConfig.read(shipped(f)), c);
            assertEquals("delay-snn", c.kind());
            assertFalse(c.toJson().contains("kind"), "delay-SNN configs are written as before: " + c.toJson());
            assertEquals(c, RunConfig.fromJson(c.toJson(), f), "JSON round trip");
        }
        for (String f : new String[]{"shd-qsd.json", "ssc-qsd.json"}) {
            RunConfig c = RunConfig.read(shipped(f));
            assertInstanceOf(QsdConfig.class, c, f);
            assertEquals(QsdConfig.read(shipped(f)), c);
            assertEquals(c, RunConfig.fromJson(c.toJson(), f));
        }
        // a delay-SNN config may name its kind
        String named = Files.readString(shipped("shd-delays.json")).replaceFirst("\\{", "{\"kind\": \"delay-snn\",");
        assertEquals(RunConfig.read(shipped("shd-delays.json")), RunConfig.fromJson(named, "named.json"));
    }

    @Test
    void anUnknownKindOrABadFileIsOneLine(@TempDir Path tmp) throws IOException {
        String other = Files.readString(shipped("shd-delays.json")).replaceFirst("\\{", "{\"kind\": \"lstm\",");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> RunConfig.fromJson(other, "o.json"));
        assertTrue(e.getMessage().contains("o.json") && e.getMessage().contains("delay-snn")
                && e.getMessage().contains("qsd-transformer") && e.getMessage().contains("'lstm'"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> RunConfig.read(tmp.resolve("none.json")));
        assertTrue(e.getMessage().contains("none.json") && e.getMessage().contains("does not exist"), e.getMessage());
        Files.writeString(tmp.resolve("empty.json"), "");
        e = assertThrows(InvalidInputException.class, () -> RunConfig.read(tmp.resolve("empty.json")));
        assertTrue(e.getMessage().contains("empty.json") && e.getMessage().contains("empty"), e.getMessage());
        Files.writeString(tmp.resolve("broken.json"), "{\"name\": ");
        e = assertThrows(InvalidInputException.class, () -> RunConfig.read(tmp.resolve("broken.json")));
        assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
        RunConfig qsd = RunConfig.read(shipped("shd-qsd.json"));
        e = assertThrows(InvalidInputException.class, () -> qsd.withSigmaTruncation(2));
        assertTrue(e.getMessage().contains("--sigma-truncation"), e.getMessage());
    }
}
