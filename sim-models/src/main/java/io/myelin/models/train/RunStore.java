package io.myelin.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.json.Json;
import io.myelin.models.data.TrainedOn;
import io.myelin.models.data.TrainingFiles;
import io.myelin.core.store.AtomicFiles;
import io.myelin.models.store.TensorFile;
import io.myelin.core.store.WriteFaults;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
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
    /**
     * {@code model.json} versions: 1 numbered epochs from 0 and recorded no {@code trained_on}; 2 numbers them from 1,
     * as the console does, and records what the model was trained on. Both are read.
     */
    public static final int MODEL_VERSION = 2;
    /** Checkpoint header versions: absent in format v1 (epochs from 0), 2 from the release that numbers them from 1. */
    public static final int CHECKPOINT_VERSION = 2;

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

    /**
     * What the run in this directory was trained on: its model's record (read from {@code model.json} alone, cheap),
     * else its checkpoint's; for a model of format v1 (no record) what its {@code model.json} implies (classes and
     * their names, 700 channels: the only kind of file that format trained on); null when there is nothing to tell.
     */
    public TrainedOn trainedOn() {
        if (Files.isRegularFile(file(MODEL_JSON))) {
            TrainedOn t = modelTrainedOn(modelJson());
            if (t != null) {
                return t;
            }
        }
        if (hasCheckpoint()) {
            Path ck = file(CHECKPOINT);
            return TrainedOn.fromJson(header(TensorFile.read(ck), ck).get("trained_on"));
        }
        return null;
    }

    /** A model's {@code trained_on}, or for a version-1 model what its fields imply. */
    static TrainedOn modelTrainedOn(JsonNode root) {
        TrainedOn t = TrainedOn.fromJson(root.get("trained_on"));
        if (t != null) {
            return t;
        }
        int classes = root.path("classes").asInt(-1);
        if (classes < 1) {
            return null;
        }
        List<String> names = new ArrayList<>();
        String joined = root.path("provenance").path("class_names").asText("");
        if (!joined.isEmpty()) {
            names.addAll(Arrays.asList(joined.split(",", -1)));
        }
        boolean named = names.size() == classes;
        if (!named) {
            names.clear();
            for (int c = 0; c < classes; c++) {
                names.add(Integer.toString(c));
            }
        }
        return new TrainedOn(Hdf5SpikeDataset.SHD_CHANNELS, names, named && !numbered(names));
    }

    private static boolean numbered(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals(Integer.toString(i))) {
                return false;
            }
        }
        return true;
    }

    /** The config of the run: its checkpoint's, else the one {@code run.json} recorded at the start; null if none. */
    public RunConfig config() {
        if (hasCheckpoint()) {
            Path ck = file(CHECKPOINT);
            JsonNode h = header(TensorFile.read(ck), ck);
            Recipe<?, ?> r = checkpointRecipe(h, ck);
            return r.readConfig(h.path("config").toString(), ck.toString());
        }
        JsonNode root = runRecord();
        return root == null ? null : RunConfig.fromJson(root.path("config").toString(), file(RUN_JSON).toString());
    }

    /** The recipe of a checkpoint header, its format and version checked; {@code ck} names it in errors. */
    static Recipe<?, ?> checkpointRecipe(JsonNode h, Path ck) {
        Recipe<?, ?> r = Recipes.forCheckpointFormat(h.path("format").asText());
        if (r == null) {
            throw new InvalidInputException(ck + " is not a training checkpoint this build reads (format '"
                    + h.path("format").asText() + "')");
        }
        if (h.has("version")) {
            checkVersion(h.get("version"), CHECKPOINT_VERSION, ck, "checkpoint");
        }
        return r;
    }

    /** {@code run.json}, checked, or null when the run has none. */
    private JsonNode runRecord() {
        Path run = file(RUN_JSON);
        if (!Files.isRegularFile(run)) {
            return null;
        }
        JsonNode root = readJson(run);
        if (!RUN_FORMAT.equals(root.path("format").asText())) {
            throw new InvalidInputException(run + " is not a Myelin run record");
        }
        checkVersion(root.path("version"), 1, run, "run record");
        return root;
    }

    /**
     * The data files {@code run.json} recorded (train, valid, test), for messages that give the command to continue
     * the run; never opened from there: paths in a run's files are not followed. Empty when not recorded.
     */
    public Map<String, String> recordedDataFiles() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        JsonNode root = runRecord();
        if (root != null) {
            root.path("data_files").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
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

    /** Whether the run recorded itself ({@code run.json}) when it started. */
    public boolean hasRunRecord() {
        return Files.isRegularFile(file(RUN_JSON));
    }

    /** Records a run when it starts: its config, phases and data files (the files for messages only). */
    void writeRunRecord(RunConfig config, List<? extends Phase<?>> phases, TrainingFiles files) throws IOException {
        ObjectNode root = Json.object();
        root.put("format", RUN_FORMAT);
        root.put("version", 1);
        root.put("kind", config.kind());
        ArrayNode p = root.putArray("phases");
        for (Phase<?> ph : phases) {
            p.addObject().put("name", ph.name()).put("dir", ph.dir());
        }
        ObjectNode data = root.putObject("data_files");
        data.put("train", String.valueOf(files.train()));
        if (files.valid() != null) {
            data.put("valid", String.valueOf(files.valid()));
        }
        data.put("test", String.valueOf(files.test()));
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
                            || isWeightsFile(n) || AtomicFiles.isTemporary(n)) {
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
        Path f = file(METRICS);
        try (OutputStream out = WriteFaults.wrap(f, Files.newOutputStream(f, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND))) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    // ---- model

    /** Saves {@code model} with free-form provenance fields (its {@code epoch} names the weights file). */
    public void saveModel(TrainedModel model, ObjectNode provenance) throws IOException {
        saveModel(model, provenance, null);
    }

    /**
     * Saves {@code model} with free-form provenance fields (its {@code epoch}, counted from 1, names the weights file)
     * and what it was trained on (null: not recorded).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void saveModel(TrainedModel model, ObjectNode provenance, TrainedOn trainedOn) throws IOException {
        Recipe r = Recipes.of(model.config());
        Files.createDirectories(dir);
        int epoch = provenance.path("epoch").asInt(-1);
        String weights = epoch >= 1 ? "model-e" + epoch + ".bin" : WEIGHTS;
        ObjectNode root = Json.object();
        root.put("format", r.modelFormat());
        root.put("version", MODEL_VERSION);
        root.put("inputs", model.inputs());
        root.put("classes", model.classes());
        root.put("parameters", model.parameterCount());
        if (trainedOn != null) {
            root.set("trained_on", trainedOn.toJson());
        }
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

    /**
     * Brings a version-1 {@code model.json} (epochs numbered from 0) into this numbering when its run resumes, so a run
     * directory never mixes the two: the weights file is renamed to its 1-based epoch, the provenance epoch moves up
     * by one, and {@code trained_on} is recorded. The weights are copied, never rewritten; a kill leaves either file
     * set complete ({@code model.json} names an existing weights file at every moment).
     */
    void upgradeModel(TrainedOn trainedOn) throws IOException {
        Path f = file(MODEL_JSON);
        if (!Files.isRegularFile(f)) {
            return;
        }
        JsonNode root = modelJson();
        if (root.path("version").asInt(1) >= MODEL_VERSION || !(root instanceof ObjectNode o)) {
            return;
        }
        Path oldWeights = weightsFile(root, f);
        ObjectNode prov = o.path("provenance") instanceof ObjectNode p ? p : o.putObject("provenance");
        int epoch = prov.path("epoch").asInt(-1) + 1;
        String weights = epoch >= 1 ? "model-e" + epoch + ".bin" : WEIGHTS;
        if (epoch >= 1) {
            prov.put("epoch", epoch);
        }
        if (!weights.equals(oldWeights.getFileName().toString())) {
            AtomicFiles.write(file(weights), out -> Files.copy(oldWeights, out));
        }
        o.put("version", MODEL_VERSION);
        o.put("weights", weights);
        if (trainedOn != null && !o.has("trained_on")) {
            o.set("trained_on", trainedOn.toJson());
        }
        AtomicFiles.writeString(f, Json.indented().writeValueAsString(o));
        if (!weights.equals(oldWeights.getFileName().toString())) {
            Files.deleteIfExists(oldWeights);
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
        if (r == null) {
            throw new InvalidInputException(f + " is not a model this build reads (format '" + format + "'; known: "
                    + String.join(", ", Recipes.modelFormats()) + ")");
        }
        if (type != null && !type.isAssignableFrom(r.modelType())) {
            Recipe wanted = Recipes.ofModelType(type);
            throw new InvalidInputException(f + " holds a " + r.displayName() + " model, not a "
                    + (wanted == null ? type.getSimpleName() : wanted.displayName()) + " model");
        }
        checkVersion(root.path("version"), MODEL_VERSION, f, "model");
        if (root.path("inputs").asInt(-1) < 1 || root.path("classes").asInt(-1) < 2) {
            throw new InvalidInputException(f + ": 'inputs' and 'classes' must be positive");
        }
        RunConfig cfg = r.readConfig(root.path("config").toString(), f.toString());
        TrainedModel model = r.build(cfg, root.path("inputs").asInt(), root.path("classes").asInt());
        Path w = weightsFile(root, f);
        r.loadStoredWeights(model, TensorFile.read(w), w);
        return model;
    }

    /**
     * Checks a file's format version: a version this build does not know (a newer Myelin wrote it) is refused with
     * the reason, rather than read as garbage.
     */
    static void checkVersion(JsonNode version, int newest, Path f, String what) {
        if (!version.canConvertToInt() || version.asInt() < 1) {
            throw new InvalidInputException(f + ": 'version' must be a positive integer, found " + version);
        }
        if (version.asInt() > newest) {
            throw new InvalidInputException(f + " was written by a newer Myelin (" + what + " format version "
                    + version.asInt() + "; this build reads versions 1 to " + newest + ")");
        }
    }

    /**
     * The weights file a {@code model.json} names: a plain file name inside this directory. A path in a model file
     * never leads outside its directory ({@code ../x}, {@code /etc/x}), whoever wrote it.
     */
    private Path weightsFile(JsonNode root, Path f) {
        JsonNode w = root.path("weights");
        String name = w.isMissingNode() ? WEIGHTS : w.asText("");
        return child(name, f, "weights");
    }

    /** {@code name}, a file or directory name from a file in this run directory, resolved inside it. */
    Path child(String name, Path from, String field) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
                || name.indexOf('\0') >= 0 || Path.of(name).isAbsolute()) {
            throw new InvalidInputException(from + ": '" + field + "' must name a file in " + dir + ", found '" + name
                    + "' (paths in a run's files may not lead outside its directory)");
        }
        return dir.resolve(name);
    }

    /** {@code model.json}, checked to exist and parse. */
    public JsonNode modelJson() {
        Path f = file(MODEL_JSON);
        if (!Files.isRegularFile(f)) {
            throw new InvalidInputException(dir + " holds no trained model (" + MODEL_JSON + " is missing)");
        }
        JsonNode n = Json.userTree(f);
        if (!n.isObject()) {
            throw new InvalidInputException(f + " is not a Myelin model (not a JSON object)");
        }
        return n;
    }

    /** The weights file {@code model.json} names. */
    public Path weightsFile() {
        return weightsFile(modelJson(), file(MODEL_JSON));
    }

    /** The provenance block of the saved model. */
    public JsonNode provenance() {
        return modelJson().path("provenance");
    }

    private static JsonNode readJson(Path f) {
        JsonNode n = Json.userTree(f);
        if (!n.isObject()) {
            throw new InvalidInputException(f + " is not a JSON object");
        }
        return n;
    }
}
