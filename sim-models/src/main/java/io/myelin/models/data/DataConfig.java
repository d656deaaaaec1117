package io.myelin.models.data;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.FrameBinner;

/**
 * How spike files become model input, the {@code "data"} section of every run config.
 *
 * @param frameMs       frame width, ms (10)
 * @param channelPool   input channels summed per model input (5: 700 → 140)
 * @param maxDurationMs drop spikes after this time, ms (0: keep all)
 * @param validFraction fraction of the training file held out for validation when no validation file is given (0: none)
 */
public record DataConfig(double frameMs, int channelPool, double maxDurationMs, double validFraction) {

    /** Checks every field; {@code w} starts the message ("config F: "), which names the field. */
    public void validate(String w) {
        if (!(frameMs > 0) || Double.isInfinite(frameMs)) {
            throw new InvalidInputException(w + "data.frameMs must be > 0, got " + frameMs);
        }
        if (channelPool < 1) {
            throw new InvalidInputException(w + "data.channelPool must be >= 1, got " + channelPool);
        }
        if (!(maxDurationMs >= 0) || Double.isInfinite(maxDurationMs)) {
            throw new InvalidInputException(w + "data.maxDurationMs must be >= 0, got " + maxDurationMs);
        }
        if (!(validFraction >= 0 && validFraction < 1)) {
            throw new InvalidInputException(w + "data.validFraction must be in [0, 1), got " + validFraction);
        }
    }

    /** The binner of these settings. */
    public FrameBinner binner() {
        return new FrameBinner(frameMs, channelPool, maxDurationMs);
    }
}
