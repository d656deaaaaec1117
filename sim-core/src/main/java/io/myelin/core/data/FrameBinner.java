package io.myelin.core.data;

import java.util.Arrays;

/**
 * Turns spike times into frame counts the way SNN-delays prepares SHD/SSC (docs/references.md §1): frame
 * {@code floor(t / frameMs)} on a fixed grid from t = 0, {@code T = floor(lastSpike / frameMs) + 1} frames with
 * empty frames kept, channels summed in consecutive groups of {@code channelPool} (700 → 140 for 5; a last,
 * smaller group when the pool does not divide the channel count), values are spike counts.
 *
 * <p>Instances are immutable and thread-safe; {@link #bin} allocates only its result.
 */
public final class FrameBinner {
    private final double frameMs;
    private final int channelPool;
    private final double maxDurationMs;
    private final int maxFrames;

    /**
     * @param frameMs       frame width in ms (10 for SHD)
     * @param channelPool   channels summed per output channel (5 for SHD: 700 → 140; 1 for none)
     * @param maxDurationMs keep only spikes with {@code t < maxDurationMs} rounded up to whole frames, capping T;
     *                      {@code <= 0} for no limit
     */
    public FrameBinner(double frameMs, int channelPool, double maxDurationMs) {
        if (!(frameMs > 0) || Double.isInfinite(frameMs)) {
            throw new IllegalArgumentException("frameMs must be a positive finite number, got " + frameMs);
        }
        if (channelPool < 1) {
            throw new IllegalArgumentException("channelPool must be >= 1, got " + channelPool);
        }
        if (Double.isNaN(maxDurationMs) || Double.isInfinite(maxDurationMs)) {
            throw new IllegalArgumentException("maxDurationMs must be finite (<= 0 for none), got " + maxDurationMs);
        }
        this.frameMs = frameMs;
        this.channelPool = channelPool;
        this.maxDurationMs = maxDurationMs;
        this.maxFrames = maxDurationMs > 0 ? (int) Math.ceil(maxDurationMs / frameMs) : Integer.MAX_VALUE;
    }

    /** Frame width in ms. */
    public double frameMs() {
        return frameMs;
    }

    /** Input channels summed per output channel. */
    public int channelPool() {
        return channelPool;
    }

    /** Maximum duration in ms ({@code <= 0}: none). */
    public double maxDurationMs() {
        return maxDurationMs;
    }

    /** Output channels for {@code inputChannels} inputs: {@code ceil(inputChannels / channelPool)}. */
    public int pooledChannels(int inputChannels) {
        return (inputChannels + channelPool - 1) / channelPool;
    }

    /** Frame index of a spike at {@code timeSeconds}. */
    public int frameOf(double timeSeconds) {
        double f = Math.floor(timeSeconds * 1000.0 / frameMs);
        return f >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) f;
    }

    /** Bins sample {@code i} of {@code ds}. */
    public BinnedSample bin(SpikeDataset ds, int i) {
        SpikeDataset root = ds;
        int index = i;
        if (ds instanceof SubsetSpikeDataset s) {
            root = s.root();
            index = s.rootIndex(i);
        }
        int channels = pooledChannels(ds.channels());
        if (root instanceof FlatSpikeDataset flat) {
            // no per-sample arrays: read the flat storage directly
            int from = flat.offset(index);
            int to = flat.offset(index + 1);
            int n = to - from;
            int[] frame = new int[n];
            int[] channel = new int[n];
            for (int k = 0; k < n; k++) {
                frame[k] = frameOf(flat.timeAt(from + k));
                channel[k] = flat.unitAt(from + k) / channelPool;
            }
            return collect(frame, channel, n == 0 ? 0 : frame[n - 1], channels);
        }
        float[] t = ds.timesSeconds(i);
        int[] u = ds.units(i);
        int[] frame = new int[t.length];
        int[] channel = new int[t.length];
        for (int k = 0; k < t.length; k++) {
            frame[k] = frameOf(t[k]);
            channel[k] = u[k] / channelPool;
        }
        return collect(frame, channel, t.length == 0 ? 0 : frame[t.length - 1], channels);
    }

    /** Sums spikes per (frame, channel); frames arrive ascending because times are ascending. */
    private BinnedSample collect(int[] frame, int[] channel, int lastFrame, int channels) {
        int n = frame.length;
        int frames = Math.min(lastFrame + 1, maxFrames);
        int[] counts = new int[channels];
        int[] touched = new int[Math.min(channels, Math.max(n, 1))];
        int[] outFrame = new int[n];
        int[] outChannel = new int[n];
        float[] outCount = new float[n];
        int events = 0;
        int dropped = 0;
        int k = 0;
        while (k < n) {
            int f = frame[k];
            if (f >= frames) {
                dropped = n - k;
                break;
            }
            int nTouched = 0;
            int end = k;
            while (end < n && frame[end] == f) {
                int c = channel[end];
                if (counts[c]++ == 0) {
                    touched[nTouched++] = c;
                }
                end++;
            }
            Arrays.sort(touched, 0, nTouched);
            for (int j = 0; j < nTouched; j++) {
                int c = touched[j];
                outFrame[events] = f;
                outChannel[events] = c;
                outCount[events] = counts[c];
                counts[c] = 0;
                events++;
            }
            k = end;
        }
        return new BinnedSample(frames, channels, Arrays.copyOf(outFrame, events), Arrays.copyOf(outChannel, events),
                Arrays.copyOf(outCount, events), dropped);
    }

    @Override
    public String toString() {
        return "FrameBinner[frameMs=" + frameMs + ", channelPool=" + channelPool
                + (maxDurationMs > 0 ? ", maxDurationMs=" + maxDurationMs : "") + "]";
    }
}
