package io.myelin.models.delay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A trained model on disk: {@code model.json} (config, shapes, provenance: data files, seed, epoch, accuracies) and
 * {@code model-eE.bin} (the {@link TensorFile} of {@link DelaySnn#state()} saved at epoch E). The weights are written
 * first under their own name, then {@code model.json} atomically, then older weight files are removed: a kill at any
 * moment leaves a {@code model.json} that names a complete weights file of its own epoch.
 */
public final class ModelStore {
    public static final String MODEL_JSON = "model.json";
    /** Weights of a model saved without an epoch in its provenance. */
    public static final String WEIGHTS = "model.bin";
    public static final String FORMAT = "myelin-delay-snn";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelStore() {
    }

    /** Saves {@code model} with free-form provenance fields. */
    public static void save(Path dir, DelaySnn model, ObjectNode provenance) throws IOException {
        Files.createDirectories(dir);
        int epoch = provenance.path("epoch").asInt(-1);
        String weights = epoch >= 0 ? "model-e" + epoch + ".bin" : WEIGHTS;
        TensorFile.write(dir.resolve(weights), "{\"format\":\"" + FORMAT + "\",\"epoch\":" + epoch + "}", model.state());
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        root.put("inputs", model.inputs());
        root.put("classes", model.classes());
        root.put("parameters", model.parameterCount());
        root.put("weights", weights);
        root.set("config", JSON.readTree(model.config().toJson()));
        root.set("provenance", provenance);
        writeAtomically(dir.resolve(MODEL_JSON), JSON.writeValueAsString(root));
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

    /** The weights file {@code model.json} in {@code dir} names. */
    public static Path weightsFile(Path dir) {
        try {
            return dir.resolve(JSON.readTree(dir.resolve(MODEL_JSON).toFile()).path("weights").asText(WEIGHTS));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + dir.resolve(MODEL_JSON) + ": " + e.getMessage());
        }
    }

    public static boolean isModelDir(Path dir) {
        return isModelDir(dir, FORMAT);
    }

    /** Whether {@code dir} holds a {@code model.json} of {@code format}. */
    public static boolean isModelDir(Path dir, String format) {
        Path f = dir.resolve(MODEL_JSON);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        try {
            return format.equals(JSON.readTree(f.toFile()).path("format").asText());
        } catch (IOException e) {
            return false;
        }
    }

    /** Loads a model saved by {@link #save}. */
    public static DelaySnn load(Path dir) {
        Path f = dir.resolve(MODEL_JSON);
        JsonNode root = readModelJson(dir, FORMAT, "delay-SNN model");
        DelaySnnConfig cfg = DelaySnnConfig.fromJson(root.path("config").toString(), f.toString());
        int inputs = root.path("inputs").asInt(), classes = root.path("classes").asInt();
        DelaySnn model = new DelaySnn(cfg, inputs, classes);
        Path w = dir.resolve(root.path("weights").asText(WEIGHTS));
        model.loadState(TensorFile.read(w).source(w));
        return model;
    }

    /**
     * The {@code model.json} of {@code dir}, checked to be of {@code format} with positive {@code inputs} and
     * {@code classes}; a clear error naming the file otherwise.
     *
     * @param what the model kind for messages ("delay-SNN model")
     */
    public static JsonNode readModelJson(Path dir, String format, String what) {
        Path f = dir.resolve(MODEL_JSON);
        if (!Files.isRegularFile(f)) {
            throw new InvalidInputException(dir + " holds no trained model (" + MODEL_JSON + " is missing)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new InvalidInputException(f + " is not valid JSON: " + e.getMessage());
        }
        if (!format.equals(root.path("format").asText())) {
            throw new InvalidInputException(f + " is not a Myelin " + what + " (format '" + root.path("format").asText() + "')");
        }
        if (root.path("inputs").asInt(-1) < 1 || root.path("classes").asInt(-1) < 2) {
            throw new InvalidInputException(f + ": 'inputs' and 'classes' must be positive");
        }
        return root;
    }

    /** The provenance block of a saved model. */
    public static JsonNode provenance(Path dir) {
        try {
            return JSON.readTree(dir.resolve(MODEL_JSON).toFile()).path("provenance");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + dir.resolve(MODEL_JSON) + ": " + e.getMessage());
        }
    }

    /** Writes {@code text} to {@code file} through a synced temp file and an atomic rename. */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text);
            try (java.nio.channels.FileChannel fc = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                fc.force(true);
            }
            TensorFile.readableByAll(tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
