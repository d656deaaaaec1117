package io.myelin.core.data;

import io.myelin.core.InvalidInputException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Train, validation and test sets of one benchmark. SSC ships all three files; SHD has no validation file, so a
 * seeded stratified share of its training file is carved out.
 *
 * @param train training samples
 * @param valid validation samples
 * @param test  test samples
 */
public record DatasetSplits(SpikeDataset train, SpikeDataset valid, SpikeDataset test) {

    /** SSC: {@code ssc_train.h5}, {@code ssc_valid.h5}, {@code ssc_test.h5} as they are. */
    public static DatasetSplits ssc(Path train, Path valid, Path test) {
        return new DatasetSplits(Hdf5SpikeDataset.open(train), Hdf5SpikeDataset.open(valid),
                Hdf5SpikeDataset.open(test));
    }

    /** SHD-style: a train and a test file; {@code validFraction} of each class of train becomes validation. */
    public static DatasetSplits withCarvedValidation(Path train, Path test, double validFraction, long seed) {
        ValidationSplit s = ValidationSplit.byFraction(Hdf5SpikeDataset.open(train), validFraction, seed);
        return new DatasetSplits(s.train(), s.valid(), Hdf5SpikeDataset.open(test));
    }

    /**
     * Finds the files of a benchmark in {@code dir}: {@code ssc_{train,valid,test}.h5} when present, else
     * {@code <prefix>_train.h5} + {@code <prefix>_test.h5} (e.g. shd_, sd_) with a carved validation share.
     */
    public static DatasetSplits open(Path dir, double validFraction, long seed) {
        if (Files.exists(dir.resolve("ssc_train.h5"))) {
            return ssc(dir.resolve("ssc_train.h5"), dir.resolve("ssc_valid.h5"), dir.resolve("ssc_test.h5"));
        }
        for (String prefix : new String[] {"shd", "sd", "synth"}) {
            Path train = dir.resolve(prefix + "_train.h5");
            if (Files.exists(train)) {
                return withCarvedValidation(train, dir.resolve(prefix + "_test.h5"), validFraction, seed);
            }
        }
        throw new InvalidInputException(dir + ": no ssc_train.h5, shd_train.h5, sd_train.h5 or synth_train.h5 found");
    }
}
