package io.myelin.models.qsd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.models.delay.ModelStore;
import io.myelin.models.delay.TensorFile;
import io.myelin.models.layer.Layer;
import io.myelin.models.quant.LevelLinear;
import io.myelin.models.quant.PackedWeights;
import io.myelin.models.quant.QuantizedLinear;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained QSD-Transformer on disk: {@code model.json} (config, shapes, provenance, stored size) and
 * {@code model-eE.bin}, a {@link TensorFile} in which every quantized weight matrix is stored packed
 * ({@code b} bits per weight, {@link PackedWeights}) with one float scale per output channel; the embedding delays
 * are stored rounded (what inference uses; counted at {@link #delayBits} each); BatchNorm and float-weight layers
 * are float32. Checkpoints, not this file, keep the exact positions for further training. Written weights first, then {@code model.json} atomically,
 * then older weight files removed, so a kill never pairs a model.json with another epoch's weights.
 */
public final class QsdStore {
    public static final String FORMAT = "myelin-qsd-transformer";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private QsdStore() {
    }

    public static void save(Path dir, QsdTransformer model, ObjectNode provenance) throws IOException {
        Files.createDirectories(dir);
        int epoch = provenance.path("epoch").asInt(-1);
        String weights = epoch >= 0 ? "model-e" + epoch + ".bin" : ModelStore.WEIGHTS;
        Map<String, float[]> t = new LinkedHashMap<>();
        long storedBits = 0;
        List<String> packed = new ArrayList<>();
        for (LevelLinear q : quantizedLayers(model)) {
            PackedWeights p = q.packed();
            t.put(q.weight().name + ".packed", wordsAsFloats(p.words()));
            t.put(q.step().name, p.scales());
            storedBits += p.storedBits();
            packed.add(q.weight().name);
        }
        io.myelin.models.layer.DclsDelayedDense delays = model.embeddingDelays();
        String positions = delays == null ? null : delays.position().name;
        for (Map.Entry<String, float[]> e : model.state().entrySet()) {
            if (packed.contains(e.getKey()) || t.containsKey(e.getKey())) {
                continue;
            }
            if (e.getKey().equals(positions)) {
                // inference uses only the rounded delay: store it, and count it at the bits an integer delay needs
                float[] r = e.getValue().clone();
                for (int k = 0; k < r.length; k++) {
                    r[k] = (float) Math.rint(r[k]);
                }
                t.put(e.getKey(), r);
                storedBits += (long) delayBits(delays.taps()) * r.length;
            } else {
                t.put(e.getKey(), e.getValue());
                storedBits += 32L * e.getValue().length;
            }
        }
        TensorFile.write(dir.resolve(weights), "{\"format\":\"" + FORMAT + "\",\"epoch\":" + epoch + "}", t);
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        root.put("inputs", model.inputs());
        root.put("classes", model.classes());
        root.put("parameters", model.parameterCount());
        root.put("stored_bits", storedBits);
        root.put("weights", weights);
        root.set("config", JSON.readTree(model.config().toJson()));
        root.set("provenance", provenance);
        ModelStore.writeAtomically(dir.resolve(ModelStore.MODEL_JSON), JSON.writeValueAsString(root));
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String n = f.getFileName().toString();
                if (ModelStore.isWeightsFile(n) && !n.equals(weights)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Whether {@code dir} holds a saved QSD-Transformer. */
    public static boolean isModelDir(Path dir) {
        return ModelStore.isModelDir(dir, FORMAT);
    }

    public static QsdTransformer load(Path dir) {
        Path f = dir.resolve(ModelStore.MODEL_JSON);
        JsonNode root = ModelStore.readModelJson(dir, FORMAT, "QSD-Transformer");
        QsdConfig cfg = QsdConfig.fromJson(root.path("config").toString(), f.toString());
        int inputs = root.path("inputs").asInt(), classes = root.path("classes").asInt();
        QsdTransformer model = new QsdTransformer(cfg, inputs, classes);
        Path w = dir.resolve(root.path("weights").asText(ModelStore.WEIGHTS));
        TensorFile.Contents c = TensorFile.read(w);
        Map<String, float[]> unpacked = new LinkedHashMap<>();
        for (LevelLinear q : quantizedLayers(model)) {
            int n = q.weight().value.length;
            int words = (int) (((long) n * q.bits().storedBits + 63) / 64);
            long[] packed = floatsAsWords(c.tensor(q.weight().name + ".packed", 2 * words, w));
            float[] scales = c.tensor(q.step().name, q.out(), w);
            int[] levels = new PackedWeights(q.bits(), q.out(), q.in(), packed, scales).levels();
            float[] latent = new float[n];
            for (int k = 0; k < n; k++) {
                latent[k] = levels[k] * scales[k / q.in()];
            }
            unpacked.put(q.weight().name, latent);
        }
        model.loadState((name, len) -> unpacked.containsKey(name) ? unpacked.get(name) : c.tensor(name, len, w));
        return model;
    }

    /** Stored size of the saved model, bits ({@code stored_bits} of model.json). */
    public static long storedBits(Path dir) {
        try {
            return JSON.readTree(dir.resolve(ModelStore.MODEL_JSON).toFile()).path("stored_bits").asLong();
        } catch (IOException e) {
            throw new InvalidInputException("cannot read " + dir.resolve(ModelStore.MODEL_JSON) + ": " + e.getMessage());
        }
    }

    /** Bits of one integer delay in {@code 0..taps-1}. */
    public static int delayBits(int taps) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(taps - 1));
    }

    static List<LevelLinear> quantizedLayers(QsdTransformer model) {
        List<LevelLinear> out = new ArrayList<>();
        for (QuantizedProjection p : model.projections()) {
            if (p.linear() instanceof LevelLinear q) {
                out.add(q);
            }
        }
        if (model.head() instanceof LevelLinear q) {
            out.add(q);
        }
        return out;
    }

    private static float[] wordsAsFloats(long[] words) {
        float[] f = new float[2 * words.length];
        for (int k = 0; k < words.length; k++) {
            f[2 * k] = Float.intBitsToFloat((int) (words[k] >>> 32));
            f[2 * k + 1] = Float.intBitsToFloat((int) words[k]);
        }
        return f;
    }

    private static long[] floatsAsWords(float[] f) {
        long[] w = new long[f.length / 2];
        for (int k = 0; k < w.length; k++) {
            w[k] = ((Float.floatToRawIntBits(f[2 * k]) & 0xffffffffL) << 32) | (Float.floatToRawIntBits(f[2 * k + 1]) & 0xffffffffL);
        }
        return w;
    }
}
