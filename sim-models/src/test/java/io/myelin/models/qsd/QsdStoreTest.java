package io.myelin.models.qsd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.json.Json;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.quant.BitWidth;
import io.myelin.models.quant.LevelLinear;
import io.myelin.models.quant.PackedWeights;
import io.myelin.models.quant.QuantizedLinear;
import io.myelin.models.store.TensorFile;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A trained tiny QSD-Transformer saved by the trainer with packed weights and loaded back gives the in-memory model's
 * evaluation logits bit for bit at every weight width; model.json's stored size is the packed levels plus float32
 * extras counted here from the architecture; packed words that read as NaN floats survive the file.
 */
class QsdStoreTest {
    /** synth_*: 700 channels pooled by 5; 10 classes. The tiny model: C = 16, MLP hidden 32, one block. */
    static final int INPUTS = 140, CLASSES = 10, C = 16, HIDDEN = 32;

    static void assertSameEvalLogits(QsdTransformer expected, QsdTransformer actual, BinnedSet data, int batch) {
        for (int s = 0; s < data.size(); s += batch) {
            int[] idx = new int[Math.min(batch, data.size() - s)];
            for (int k = 0; k < idx.length; k++) {
                idx[k] = s + k;
            }
            BinnedSet.Batch b = data.batch(idx, 0);
            float[][] e = expected.forward(b.x(), b.lengths(), false), a = actual.forward(b.x(), b.lengths(), false);
            for (int k = 0; k < idx.length; k++) {
                assertArrayEquals(e[k], a[k], "eval logits of sample " + (s + k));
            }
        }
    }

    static void assertSameLevels(QsdTransformer expected, QsdTransformer actual) {
        List<LevelLinear> e = expected.quantizedLayers(), a = actual.quantizedLayers();
        assertEquals(e.size(), a.size());
        for (int k = 0; k < e.size(); k++) {
            assertArrayEquals(e.get(k).levels(), a.get(k).levels(), "levels of " + e.get(k).weight().name);
            assertArrayEquals(e.get(k).step().value, a.get(k).step().value, "steps of " + e.get(k).weight().name);
        }
    }

    /** Stored bits of the tiny architecture: b bits per weight plus a float32 scale per channel, the rest float32. */
    static long expectedStoredBits(BitWidth bits, boolean delays) {
        int[][] layers = {{INPUTS, C}, {C, C}, {C, C}, {C, C}, {C, C}, {C, HIDDEN}, {HIDDEN, C}, {C, CLASSES}};
        long packed = 0;
        for (int[] l : layers) {
            packed += (long) l[0] * l[1] * bits.storedBits + 32L * l[1];
        }
        // BatchNorm after every projection but the head: gamma, beta, running mean, running variance
        long floats = 4L * (C + 4 * C + HIDDEN + C);
        long delayBits = 0;
        if (delays) {
            floats += 2;   // sigma as a 64-bit double in two floats
            delayBits = (long) INPUTS * C * DELAY_BITS;   // integer delays 0..TAPS-1, the rounded positions
        }
        return packed + 32 * floats + delayBits;
    }

    /** The tiny configs' 7 taps: delays 0..6 need 3 bits. */
    static final int TAPS = 7, DELAY_BITS = 3;

    static void assertSameDelays(QsdTransformer expected, QsdTransformer actual) {
        if (expected.embeddingDelays() == null) {
            assertEquals(null, actual.embeddingDelays());
            return;
        }
        assertEquals(TAPS, expected.embeddingDelays().taps());
        for (int o = 0; o < C; o++) {
            for (int i = 0; i < INPUTS; i++) {
                assertEquals(expected.embeddingDelays().roundedDelaySteps(o, i),
                        actual.embeddingDelays().roundedDelaySteps(o, i), "delay of synapse " + o + "," + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} bits, embedding delays {1}")
    @CsvSource({"1.58, true", "2, false", "4, true", "8, false"})
    void trainedModelRoundTripsThroughTheStoreBitForBit(double bits, boolean delays, @TempDir Path tmp) throws IOException {
        QsdConfig cfg = QsdTestRuns.tiny(bits, delays, 2, 7, 2);
        BinnedSet test = QsdTestRuns.synthTest(cfg);
        Path run = tmp.resolve("run");
        // after one epoch the best model is that epoch's, and the checkpoint holds the same in-memory state
        new Trainer(cfg, QsdTestRuns.synth(), run, null).stopAfter(1).train();
        assertTrue((RunStore.of(run).loadModel() instanceof QsdTransformer));
        QsdTransformer memory0 = QsdTestRuns.fromCheckpoint(run), saved0 = RunStore.of(run).loadModel(QsdTransformer.class);
        assertSameLevels(memory0, saved0);
        assertSameDelays(memory0, saved0);
        assertSameEvalLogits(memory0, saved0, test, 50);
        JsonNode model = Json.tree(run.resolve(RunStore.MODEL_JSON));
        assertEquals(0, model.path("provenance").path("epoch").asInt());
        assertEquals(expectedStoredBits(BitWidth.of(bits), delays), model.path("stored_bits").asLong(), "stored_bits");
        assertEquals(model.path("stored_bits").asLong(), QsdWeights.storedBits(run));
        assertEquals(memory0.parameterCount(), model.path("parameters").asLong());
        assertEquals(model.path("provenance").path("test_acc").asDouble(), Evaluation.run(saved0, test, 33).accuracy(),
                "the saved model reproduces its recorded accuracy");

        // the weights file holds packed words, not the latent float weights
        TensorFile.Contents c = TensorFile.read(RunStore.of(run).weightsFile());
        int packedTensors = 0;
        for (LevelLinear q : memory0.quantizedLayers()) {
            float[] words = c.tensors().get(q.weight().name + ".packed");
            int n = q.in() * q.out();
            assertEquals(2 * ((n * BitWidth.of(bits).storedBits + 63) / 64), words.length, q.weight().name);
            assertFalse(c.tensors().containsKey(q.weight().name), "latent weights of " + q.weight().name + " stored");
            packedTensors++;
        }
        assertEquals(8, packedTensors);

        new Trainer(cfg, QsdTestRuns.synth(), run, null).resume();
        QsdTransformer memory1 = QsdTestRuns.fromCheckpoint(run), saved = RunStore.of(run).loadModel(QsdTransformer.class);
        model = Json.tree(run.resolve(RunStore.MODEL_JSON));
        if (model.path("provenance").path("epoch").asInt() == 1) {
            assertSameEvalLogits(memory1, saved, test, 50);
        } else {
            assertSameEvalLogits(memory0, saved, test, 50);
        }
        try (var files = Files.list(run)) {
            assertEquals(1, files.filter(f -> RunStore.isWeightsFile(f.getFileName().toString())).count(),
                    "one weights file");
        }
        // the last epoch's in-memory model, saved and loaded explicitly
        ObjectNode prov = Json.object();
        prov.put("epoch", -1);
        RunStore.of(tmp.resolve("final")).saveModel(memory1, prov);
        assertTrue(Files.isRegularFile(tmp.resolve("final").resolve(RunStore.WEIGHTS)));
        QsdTransformer final1 = RunStore.of(tmp.resolve("final")).loadModel(QsdTransformer.class);
        assertSameLevels(memory1, final1);
        assertSameDelays(memory1, final1);
        assertSameEvalLogits(memory1, final1, test, 64);
        assertEquals(expectedStoredBits(BitWidth.of(bits), delays), QsdWeights.storedBits(tmp.resolve("final")));
    }

    @Test
    void floatTeacherStoresEverythingAsFloat32(@TempDir Path tmp) throws IOException {
        QsdConfig cfg = QsdTestRuns.tiny(32, true, 1, 2, 1);
        QsdTransformer m = new QsdTransformer(cfg, INPUTS, CLASSES);
        ObjectNode prov = Json.object();
        prov.put("epoch", 3);
        RunStore.of(tmp).saveModel(m, prov);
        assertTrue(Files.isRegularFile(tmp.resolve("model-e3.bin")));
        long positions = (long) INPUTS * C;
        assertEquals(32 * (m.parameterCount() - positions) + DELAY_BITS * positions + 32L * 2 * (C + 4 * C + HIDDEN + C)
                + 64, QsdWeights.storedBits(tmp), "float32 parameters and running statistics, integer delays, 64-bit sigma");
        QsdTransformer back = RunStore.of(tmp).loadModel(QsdTransformer.class);
        assertSameDelays(m, back);
        assertSameEvalLogits(m, back, QsdTestRuns.synthTest(cfg), 64);
    }

    /** Levels whose packed 64-bit words are, as two floats, NaN patterns (signalling, negative, all ones). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"B8", "B2", "TERNARY"})
    void packedWordsThatAreNaNFloatsSurviveTheFile(BitWidth bits, @TempDir Path tmp) throws IOException {
        // B8: levels 1, 0, -128, 127 -> bytes 01 00 80 7f = 0x7f800001 (signalling NaN); 0, 0, -64, -1 -> 0xffc00000
        int[] pattern = bits == BitWidth.B8 ? new int[]{1, 0, -128, 127, 0, 0, -64, -1} : new int[]{-1};
        double nominal = bits.nominalBits;
        QsdConfig cfg = QsdTestRuns.tiny(nominal, false, 1, 5, 1);
        QsdTransformer m = new QsdTransformer(cfg, INPUTS, CLASSES);
        QuantizedLinear embed = (QuantizedLinear) m.embedding().linear();
        java.util.Arrays.fill(embed.step().value, 1f);
        embed.markStepsInitialised();
        int[] levels = new int[INPUTS * C];
        for (int k = 0; k < levels.length; k++) {
            levels[k] = pattern[k % pattern.length];
            embed.weight().value[k] = levels[k];
        }
        assertArrayEquals(levels, embed.levels());
        // the words as the test reads them: every 32-bit half is a NaN pattern
        PackedWeights p = embed.packed();
        for (long w : p.words()) {
            assertTrue(Float.isNaN(Float.intBitsToFloat((int) (w >>> 32))) && Float.isNaN(Float.intBitsToFloat((int) w)),
                    "word " + Long.toHexString(w) + " must be two NaN floats");
        }
        // TensorFile keeps raw float bits
        float[] asFloats = new float[2 * p.words().length];
        for (int k = 0; k < p.words().length; k++) {
            asFloats[2 * k] = Float.intBitsToFloat((int) (p.words()[k] >>> 32));
            asFloats[2 * k + 1] = Float.intBitsToFloat((int) p.words()[k]);
        }
        TensorFile.write(tmp.resolve("raw.bin"), "{}", Map.of("w", asFloats));
        float[] back = TensorFile.read(tmp.resolve("raw.bin")).tensors().get("w");
        for (int k = 0; k < back.length; k++) {
            assertEquals(Float.floatToRawIntBits(asFloats[k]), Float.floatToRawIntBits(back[k]), "raw bits of float " + k);
        }
        // and the model store round trip restores the levels and the evaluation
        ObjectNode prov = Json.object();
        prov.put("epoch", -1);
        RunStore.of(tmp.resolve("m")).saveModel(m, prov);
        float[] stored = TensorFile.read(tmp.resolve("m").resolve(RunStore.WEIGHTS)).tensors()
                .get(embed.weight().name + ".packed");
        int nan = 0;
        for (float f : stored) {
            nan += Float.isNaN(f) ? 1 : 0;
        }
        assertEquals(stored.length, nan, "every stored float of the packed embedding is a NaN pattern");
        QsdTransformer loaded = RunStore.of(tmp.resolve("m")).loadModel(QsdTransformer.class);
        assertArrayEquals(levels, ((QuantizedLinear) loaded.embedding().linear()).levels());
        assertSameLevels(m, loaded);
        assertSameEvalLogits(m, loaded, QsdTestRuns.synthTest(cfg), 100);
    }
}
