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
     * Opens {@code <dir>/<name>_train.h5} and {@code <name>_test.h5} (e.g. name {@code ssc}, {@code shd},
     * {@code synth}); validation is {@code <name>_valid.h5} when that file exists (SSC), otherwise a seeded
     * stratified {@code validFraction} of the training file (SHD).
     */
    public static DatasetSplits open(Path dir, String name, double validFraction, long seed) {
        Path train = dir.resolve(name + "_train.h5");
        Path valid = dir.resolve(name + "_valid.h5");
        Path test = dir.resolve(name + "_test.h5");
        if (!Files.exists(train) || !Files.exists(test)) {
            throw new InvalidInputException(dir + ": expected " + train.getFileName() + " and " + test.getFileName());
        }
        if (Files.exists(valid)) {
            return ssc(train, valid, test);
        }
        return withCarvedValidation(train, test, validFraction, seed);
    }
}
