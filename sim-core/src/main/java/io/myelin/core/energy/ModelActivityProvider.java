package io.myelin.core.energy;

import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * The seam through which trained models report: a module that can load a trained model (sim-models' trainer) and
 * run its inference pass registers an implementation in
 * {@code META-INF/services/io.myelin.core.energy.ModelActivityProvider}; {@code myelin report --model DIR} then finds
 * it with {@link ServiceLoader}, so sim-core never depends on the trainer.
 *
 * <p>Counting contract for implementations (see {@link LayerActivity}): a layer fed with spike counts or real values
 * (the first layer on binned SHD frames) counts MACs = non-zero inputs x fan-out if it skips zeros, else
 * inputs x fan-out; a layer fed with binary spikes counts ACs = actual spikes x fan-out; BatchNorm folded into the
 * weights and thresholds for inference costs nothing; {@code annMacs} = synapses x evaluated steps x samples;
 * delays are integer after rounding, stored at ceil(log2 Td) bits.
 */
public interface ModelActivityProvider {
    /** Short name for messages. */
    String name();

    /** Whether this provider understands the model stored in {@code modelDir}. */
    boolean accepts(Path modelDir);

    /**
     * Runs inference on the first {@code samples} samples of {@code data} (all if <= 0) and counts.
     *
     * @param rasterSample index (among those run) of the sample whose spikes are returned as rasters
     */
    ModelActivity run(Path modelDir, Path data, int samples, int rasterSample);

    /** The first registered provider that accepts {@code modelDir}, or null. */
    static ModelActivityProvider find(Path modelDir) {
        for (ModelActivityProvider p : ServiceLoader.load(ModelActivityProvider.class)) {
            if (p.accepts(modelDir)) {
                return p;
            }
        }
        return null;
    }
}
