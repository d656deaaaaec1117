package io.myelin.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.energy.Accuracy;
import io.myelin.core.energy.LayerActivity;
import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelActivityProvider;
import io.myelin.core.energy.ModelSize;
import io.myelin.core.energy.ParameterKind;
import io.myelin.core.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only provider standing in for the trainer behind the {@link ModelActivityProvider} seam: it accepts model
 * directories holding a {@code recorded-activity.json} (layer counts written by the test) and returns them, so the
 * test checks the wiring of {@code myelin report --model}: discovery, samples, accuracy and metrics.jsonl.
 */
public final class RecordedActivityProvider implements ModelActivityProvider {
    @Override
    public String name() {
        return "recorded";
    }

    @Override
    public boolean accepts(Path modelDir) {
        return Files.isRegularFile(modelDir.resolve("recorded-activity.json"));
    }

    @Override
    public ModelActivity run(Path modelDir, Path data, int samples, int rasterSample) {
        try {
            JsonNode j = Json.tree(modelDir.resolve("recorded-activity.json"));
            List<LayerActivity> layers = new ArrayList<>();
            ModelSize.Builder size = ModelSize.builder();
            for (JsonNode l : j.get("layers")) {
                layers.add(new LayerActivity(l.get("name").asText(), "dense", l.get("neurons").asInt(), 10, samples,
                        l.get("spikes").asLong(), l.get("acs").asLong(), l.get("macs").asLong(), 0,
                        l.get("synapses").asLong(), l.get("synapses").asLong() * 10 * samples, 8, 1));
                size.add(l.get("name").asText(), ParameterKind.WEIGHT, l.get("synapses").asLong(), 8);
            }
            return new ModelActivity(modelDir.getFileName().toString(), "data " + data.getFileName(), 10, layers,
                    size.build(), new Accuracy(j.get("correct").asLong(), samples), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
