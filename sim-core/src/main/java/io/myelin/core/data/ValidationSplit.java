package io.myelin.core.data;

import cern.jet.random.engine.MersenneTwister;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A training set split into train and validation parts, for datasets without a validation file (SHD). Both parts
 * keep the original sample order; same seed ⇒ same split.
 *
 * @param train      the samples left for training
 * @param valid      the samples carved out for validation
 * @param validIndex indices (in the original dataset) of the validation samples, ascending
 */
public record ValidationSplit(SpikeDataset train, SpikeDataset valid, int[] validIndex) {

    /**
     * Stratified carve-out: in every class, {@code round(fraction * classCount)} samples drawn at random (seeded)
     * go to validation.
     *
     * @param fraction share of each class for validation, in [0, 1)
     */
    public static ValidationSplit byFraction(SpikeDataset ds, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
        }
        MersenneTwister rng = SpikeDataset.Shuffle.engine(seed);
        boolean[] isValid = new boolean[ds.size()];
        for (int c = 0; c < ds.classes(); c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < ds.size(); i++) {
                if (ds.label(i) == c) {
                    members.add(i);
                }
            }
            int[] m = members.stream().mapToInt(Integer::intValue).toArray();
            SpikeDataset.Shuffle.shuffle(m, rng);
            int take = (int) Math.round(fraction * m.length);
            for (int k = 0; k < take; k++) {
                isValid[m[k]] = true;
            }
        }
        return split(ds, isValid);
    }

    /** All samples of the given speakers go to validation (speaker-independent evaluation). */
    public static ValidationSplit bySpeaker(SpikeDataset ds, int... validSpeakers) {
        int[] sorted = validSpeakers.clone();
        Arrays.sort(sorted);
        boolean[] isValid = new boolean[ds.size()];
        for (int i = 0; i < ds.size(); i++) {
            if (ds.speaker(i) < 0) {
                throw new IllegalArgumentException(ds.source() + ": sample " + i + " has no speaker id");
            }
            isValid[i] = Arrays.binarySearch(sorted, ds.speaker(i)) >= 0;
        }
        return split(ds, isValid);
    }

    /** {@code count} speakers drawn at random (seeded) from those present go to validation. */
    public static ValidationSplit byRandomSpeakers(SpikeDataset ds, int count, long seed) {
        int[] speakers = ds.speakers();
        if (count < 0 || count >= speakers.length) {
            throw new IllegalArgumentException("cannot hold out " + count + " of " + speakers.length + " speakers");
        }
        SpikeDataset.Shuffle.shuffle(speakers, SpikeDataset.Shuffle.engine(seed));
        return bySpeaker(ds, Arrays.copyOf(speakers, count));
    }

    private static ValidationSplit split(SpikeDataset ds, boolean[] isValid) {
        int nValid = 0;
        for (boolean v : isValid) {
            nValid += v ? 1 : 0;
        }
        int[] train = new int[ds.size() - nValid];
        int[] valid = new int[nValid];
        int a = 0;
        int b = 0;
        for (int i = 0; i < ds.size(); i++) {
            if (isValid[i]) {
                valid[b++] = i;
            } else {
                train[a++] = i;
            }
        }
        return new ValidationSplit(ds.subset(train), ds.subset(valid), valid);
    }
}
