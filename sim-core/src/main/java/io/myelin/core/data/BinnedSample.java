package io.myelin.core.data;

/**
 * One sample binned into frames: a sparse list of (frame, pooled channel, spike count) events sorted by frame then
 * channel, over a grid of {@link #frames()} frames that starts at t = 0 and keeps empty frames.
 */
public final class BinnedSample {
    private final int frames;
    private final int channels;
    private final int[] eventFrame;
    private final int[] eventChannel;
    private final float[] eventCount;
    private final int droppedSpikes;

    BinnedSample(int frames, int channels, int[] eventFrame, int[] eventChannel, float[] eventCount,
                 int droppedSpikes) {
        this.frames = frames;
        this.channels = channels;
        this.eventFrame = eventFrame;
        this.eventChannel = eventChannel;
        this.eventCount = eventCount;
        this.droppedSpikes = droppedSpikes;
    }

    /** Number of frames T (the last spike's frame + 1, capped by the binner's maximum duration). */
    public int frames() {
        return frames;
    }

    /** Number of (pooled) channels C. */
    public int channels() {
        return channels;
    }

    /** Number of non-zero (frame, channel) cells. */
    public int events() {
        return eventFrame.length;
    }

    /** Frame of each event (ascending). Shared array: do not modify. */
    public int[] eventFrame() {
        return eventFrame;
    }

    /** Pooled channel of each event (ascending within a frame). Shared array: do not modify. */
    public int[] eventChannel() {
        return eventChannel;
    }

    /** Spike count of each event (not clipped to 1). Shared array: do not modify. */
    public float[] eventCount() {
        return eventCount;
    }

    /** Spikes at or after the binner's maximum duration that were left out (0 without a maximum). */
    public int droppedSpikes() {
        return droppedSpikes;
    }

    /** Sum of all counts = number of spikes binned. */
    public long totalCount() {
        long s = 0;
        for (float c : eventCount) {
            s += (long) c;
        }
        return s;
    }

    /** Dense counts, row-major {@code [T][C]}: element {@code t * channels() + c}. */
    public float[] dense() {
        float[] d = new float[Math.multiplyExact(frames, channels)];
        for (int e = 0; e < eventFrame.length; e++) {
            d[eventFrame[e] * channels + eventChannel[e]] = eventCount[e];
        }
        return d;
    }
}
