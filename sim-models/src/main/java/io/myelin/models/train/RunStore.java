package io.myelin.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;
import io.myelin.models.store.AtomicFiles;
import io.myelin.models.store.TensorFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A run directory, for every model kind (docs/training.md): {@code metrics.jsonl} (one line per epoch),
 * {@code checkpoint.bin} (a {@link TensorFile}: the model's state, the optimizers' moments, a header with the config
 * and where the run stands), {@code model.json} + {@code model-eE.bin} (the best model: its config, shapes and
 * provenance, and its weights as the kind's {@link Recipe} encodes them), and for a run of several phases
 * {@code run.json} (its config, written when it starts, so that {@code --resume} knows it before the last phase has a
 * checkpoint) and a sub-directory per earlier phase ({@code teacher/}), itself a run directory.
 *
 * <p>Every file is written atomically. A saved model's weights are written first under their own name, then
 * {@code model.json}, then older weight files are removed: a kill at any moment leaves a {@code model.json} that names
 * a complete weights file of its own epoch.
 */
public final class RunStore {
    public static final String METRICS = "metrics.jsonl";
    public static final String CHECKPOINT = "checkpoint.bin";
    public static final String MODEL_JSON = "model.json";
    /** Weights of a model saved without an epoch in its provenance. */
    public static final String WEIGHTS = "model.bin";
    public static final String RUN_JSON = "run.json";
    private static final String RUN_FORMAT = "myelin-run";

    private final Path dir;

    private RunStore(Path dir) {
        this.dir = dir;
    }

    public static RunStore of(Path dir) {
        return new RunStore(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    // ---- checkpoint

    public boolean hasCheckpoint() {
        return Files.isRegularFile(file(CHECKPOINT));
    }

    public TensorFile.Contents readCheckpoint() {
        return TensorFile.read(file(CHECKPOINT));
    }

    /** The header of a checkpoint's contents read from {@code from}. */
    static JsonNode header(TensorFile.Contents c, Path from) {
        try {
            return Json.reader().readTree(c.header());
        } catch (IOException e) {
            throw new InvalidInputException(from + " has a corrupt header: " + e.getMessage());
        }
    }

    void writeCheckpoint(ObjectNode header, Map<String, float[]> tensors) throws IOException {
        TensorFile.write(file(CHECKPOINT), header.toString(), tensors);
    }

    /** The config of the run: its checkpoint's, else the one {@code run.json} recorded at the start; null if none. */
    public RunConfig config() {
        if (hasCheckpoint()) {
            Path ck = file(CHECKPOINT);
            JsonNode h = header(TensorFile.read(ck), ck);
            Recipe<?, ?> r = Recipes.forCheckpointFormat(h.path("format").asText());
            if (r == null) {
                throw new InvalidInputException(ck + " is not a Myelin training checkpoint (format '"
                        + h.path("format").asText() + "')");
            }
            return r.readConfig(h.path("config").toString(), ck.toString());
        }
        Path run = file(RUN_JSON);
        if (Files.isRegularFile(run)) {
            JsonNode root = readJson(run);
            if (!RUN_FORMAT.equals(root.path("format").asText())) {
                throw new InvalidInputException(run + " is not a Myelin run record");
            }
            return RunConfig.fromJson(root.path("config").toString(), run.toString());
        }
        return null;
    }

    /**
     * A sub-directory holding the checkpoint of an earlier phase, or null: a run killed in its first phase before
     * phases were recorded in {@code run.json} (format v1) has only that.
     */
    public Path phaseWithCheckpoint() {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (var files = Files.list(dir)) {
            return files.filter(d -> Files.isRegularFile(d.resolve(CHECKPOINT))).sorted().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Records a run of several phases when it starts. */
    void writeRunRecord(RunConfig config, List<? extends Phase<?>> phases) throws IOException {
        ObjectNode root = Json.object();
        root.put("format", RUN_FORMAT);
        root.put("version", 1);
        root.put("kind", config.kind());
        ArrayNode p = root.putArray("phases");
        for (Phase<?> ph : phases) {
            p.addObject().put("name", ph.name()).put("dir", ph.dir());
        }
        root.set("config", Json.reader().readTree(config.toJson()));
        AtomicFiles.writeString(file(RUN_JSON), Json.indented().writeValueAsString(root));
    }

    /**
     * Removes a run's outputs so it can start afresh ({@code --overwrite}): its checkpoint, metrics, model and run
     * record, and the directories of its earlier phases; other files stay.
     */
    public void clear(RunConfig config) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            for (Phase<?> p : phases(config)) {
                if (!p.dir().isEmpty()) {
                    deleteTree(dir.resolve(p.dir()));
                }
            }
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String n = f.getFileName().toString();
                    if (n.equals(CHECKPOINT) || n.equals(METRICS) || n.equals(MODEL_JSON) || n.equals(RUN_JSON)
                            || isWeightsFile(n)) {
                        Files.delete(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException("--overwrite: cannot clear " + dir + ": " + e.getMessage());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<? extends Phase<?>> phases(RunConfig config) {
        Recipe r = Recipes.of(config);
        return r.phases(config);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    // ---- metrics

    /** Rewrites {@code metrics.jsonl} from {@code lines} (a resumed run drops the line of an unfinished epoch). */
    void rewriteMetrics(List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        AtomicFiles.writeString(file(METRICS), sb.toString());
    }

    void appendMetrics(String line) throws IOException {
        Files.writeString(file(METRICS), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    // ---- model

    /** Saves {@code model} with free-form provenance fields (its {@code epoch} names the weights file). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void saveModel(TrainedModel model, ObjectNode provenance) throws IOException {
        Recipe r = Recipes.of(model.config());
        Files.createDirectories(dir);
        int epoch = provenance.path("epoch").asInt(-1);
        String weights = epoch >= 0 ? "model-e" + epoch + ".bin" : WEIGHTS;
        ObjectNode root = Json.object();
        root.put("format", r.modelFormat());
        root.put("version", 1);
        root.put("inputs", model.inputs());
        root.put("classes", model.classes());
        root.put("parameters", model.parameterCount());
        Map<String, float[]> tensors = r.storedWeights(model, root);
        TensorFile.write(file(weights), "{\"format\":\"" + r.modelFormat() + "\",\"epoch\":" + epoch + "}", tensors);
        root.put("weights", weights);
        root.set("config", Json.reader().readTree(model.config().toJson()));
        root.set("provenance", provenance);
        AtomicFiles.writeString(file(MODEL_JSON), Json.indented().writeValueAsString(root));
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (isWeightsFile(n) && !n.equals(weights)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Whether {@code fileName} is a model weights file ({@code model.bin} or {@code model-eE.bin}). */
    public static boolean isWeightsFile(String fileName) {
        return fileName.equals(WEIGHTS) || fileName.matches("model-e\\d+\\.bin");
    }

    /** Whether the directory holds a {@code model.json} of a kind this build reads. */
    public boolean holdsModel() {
        Path f = file(MODEL_JSON);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        try {
            return Recipes.forModelFormat(Json.tree(f).path("format").asText()) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The saved model, of whatever kind. */
    public TrainedModel loadModel() {
        return load(null);
    }

    /** The saved model, which must be a {@code type}. */
    public <M extends TrainedModel> M loadModel(Class<M> type) {
        return type.cast(load(type));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private TrainedModel load(Class<?> type) {
        Path f = file(MODEL_JSON);
        JsonNode root = modelJson();
        String format = root.path("format").asText();
        Recipe r = Recipes.forModelFormat(format);
        if (r == null || (type != null && !type.isAssignableFrom(r.modelType()))) {
            Recipe wanted = type == null ? null : Recipes.ofModelType(type);
            throw new InvalidInputException(f + " is not a Myelin " + (wanted == null ? "model"
                    : wanted.displayName() + " model") + " (format '" + format + "')");
        }
        if (root.path("inputs").asInt(-1) < 1 || root.path("classes").asInt(-1) < 2) {
            throw new InvalidInputException(f + ": 'inputs' and 'classes' must be positive");
        }
        RunConfig cfg = r.readConfig(root.path("config").toString(), f.toString());
        TrainedModel model = r.build(cfg, root.path("inputs").asInt(), root.path("classes").asInt());
        Path w = dir.resolve(root.path("weights").asText(WEIGHTS));
        r.loadStoredWeights(model, TensorFile.read(w), w);
        return model;
    }

    /** {@code model.json}, checked to exist and parse. */
    public JsonNode modelJson() {
        Path f = file(MODEL_JSON);
        if (!Files.isRegularFile(f)) {
            throw new InvalidInputException(dir + " holds no trained model (" + MODEL_JSON + " is missing)");
        }
        try {
            return Json.tree(f);
        } catch (IOException e) {
            throw new InvalidInputException(f + " is not valid JSON: " + e.getMessage());
        }
    }

    /** The weights file {@code model.json} names. */
    public Path weightsFile() {
        return dir.resolve(modelJson().path("weights").asText(WEIGHTS));
    }

    /** The provenance block of the saved model. */
    public JsonNode provenance() {
        return modelJson().path("provenance");
    }

    private static JsonNode readJson(Path f) {
        try {
            return Json.tree(f);
        } catch (IOException e) {
            throw new InvalidInputException(f + " is not valid JSON: " + e.getMessage());
        }
    }
}
