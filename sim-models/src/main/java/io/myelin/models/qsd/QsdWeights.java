package io.myelin.models.qsd;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.quant.LevelLinear;
import io.myelin.models.quant.PackedWeights;
import io.myelin.models.store.TensorFile;
import io.myelin.models.train.RunStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A saved QSD-Transformer's weights file: every quantized weight matrix packed ({@code b} bits per weight,
 * {@link PackedWeights}, as {@code NAME.packed}) with one float scale per output channel (in place of its LSQ steps);
 * the embedding delays rounded (what inference uses; counted at {@link #delayBits} each); BatchNorm and float-weight
 * layers float32. Checkpoints, not this file, keep the latent weights and exact positions for further training.
 * {@code model.json} records the stored size ({@code stored_bits}).
 */
public final class QsdWeights {
    private QsdWeights() {
    }

    /** The tensors of the weights file; puts {@code stored_bits} into {@code modelJson}. */
    static Map<String, float[]> pack(QsdTransformer model, ObjectNode modelJson) {
        Map<String, float[]> t = new LinkedHashMap<>();
        long storedBits = 0;
        List<String> packed = new ArrayList<>();
        for (LevelLinear q : model.quantizedLayers()) {
            PackedWeights p = q.packed();
            t.put(q.weight().name + ".packed", wordsAsFloats(p.words()));
            t.put(q.step().name, p.scales());
            storedBits += p.storedBits();
            packed.add(q.weight().name);
        }
        DclsDelayedDense delays = model.embeddingDelays();
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
        modelJson.put("stored_bits", storedBits);
        return t;
    }

    /** Restores what {@link #pack} wrote: latent weights = levels x scales, so the model quantizes back to them. */
    static void unpack(QsdTransformer model, TensorFile.Contents c, Path w) {
        Map<String, float[]> unpacked = new LinkedHashMap<>();
        for (LevelLinear q : model.quantizedLayers()) {
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
    }

    /** Stored size of the model saved in {@code dir}, bits ({@code stored_bits} of its model.json). */
    public static long storedBits(Path dir) {
        return RunStore.of(dir).modelJson().path("stored_bits").asLong();
    }

    /** Bits of one integer delay in {@code 0..taps-1}. */
    public static int delayBits(int taps) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(taps - 1));
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
