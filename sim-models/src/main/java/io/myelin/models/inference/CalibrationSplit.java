package io.myelin.models.inference;

import io.myelin.core.InvalidInputException;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
import io.myelin.core.data.ValidationSplit;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.TrainedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The validation split a threshold is calibrated on: a file, or a seeded stratified fraction of the training file
 * (by default the training file the model records, split with the model's seed, so the fraction the model was trained
 * with is exactly the part it never saw) — and never the test file.
 *
 * @param data        the split, binned as the model was trained
 * @param description what it is, for reports
 * @param note        a warning for the user (the split overlaps the training data), or null
 */
public record CalibrationSplit(BinnedSet data, String description, String note) {

    /**
     * @param validFile a validation file, or null
     * @param fraction  a fraction of the training file, or null
     * @param trainFile the training file for {@code fraction} (null: the one in the model's provenance)
     * @param testFile  the test file (refused as the validation data)
     * @return the split, or null when neither is given and the model was trained without one
     */
    public static CalibrationSplit resolve(TrainedModel model, RunStore store, Path validFile, Double fraction,
                                           Path trainFile, Path testFile) {
        if (validFile != null && fraction != null) {
            throw new InvalidInputException("give either --valid or --valid-fraction, not both");
        }
        var prov = store.provenance();
        double trained = model.config().data().validFraction();
        if (validFile == null && fraction == null) {
            if (prov.hasNonNull("valid_data")) {
                validFile = Path.of(prov.get("valid_data").asText());
            } else if (trained > 0) {
                fraction = trained;
            } else {
                return null;
            }
        }
        if (validFile != null) {
            refuseTest(validFile, testFile, "validation file");
            return new CalibrationSplit(BinnedSet.forModel(model.config().data(), model.inputs(), store.trainedOn(),
                    validFile, 0), validFile.toString(), null);
        }
        if (!(fraction > 0 && fraction < 1)) {
            throw new InvalidInputException("--valid-fraction must be in (0, 1), got " + fraction);
        }
        if (trainFile == null) {
            if (!prov.hasNonNull("train_data")) {
                throw new InvalidInputException("the model does not record its training file; pass --train FILE");
            }
            trainFile = Path.of(prov.get("train_data").asText());
            if (!Files.isRegularFile(trainFile)) {
                throw new InvalidInputException("the training file " + trainFile + " recorded in " + store.dir()
                        + "/model.json is not there; pass --train FILE");
            }
        }
        refuseTest(trainFile, testFile, "training file");
        long seed = model.config().training().seed();
        SpikeDataset ds = Hdf5SpikeDataset.open(trainFile);
        checkChannels(model, ds, trainFile, "training file");
        if (store.trainedOn() != null) {
            store.trainedOn().check(io.myelin.models.data.TrainedOn.of(ds), trainFile.toString(), "the model");
        }
        SpikeDataset valid = ValidationSplit.byFraction(ds, fraction, seed).valid();
        if (valid.size() == 0) {
            throw new InvalidInputException("--valid-fraction " + fraction + " of " + trainFile + " holds no sample");
        }
        boolean heldOut = fraction == trained && !prov.hasNonNull("valid_data");
        String d = "fraction " + fraction + " of " + trainFile + " (seed " + seed + ", " + valid.size() + " samples"
                + (heldOut ? ", held out in training)" : ")");
        String note = heldOut ? null : "note: the model was trained " + (trained > 0 ? "with validFraction " + trained
                : "on the whole training file") + ", so part of this validation split was seen in training";
        return new CalibrationSplit(new BinnedSet(valid, model.config().data().binner()), d, note);
    }

    private static void checkChannels(TrainedModel model, SpikeDataset ds, Path file, String what) {
        var binner = model.config().data().binner();
        if (binner.pooledChannels(ds.channels()) != model.inputs()) {
            throw new InvalidInputException("the " + what + " " + file + " has " + ds.channels() + " channels ("
                    + binner.pooledChannels(ds.channels()) + " after pooling by " + model.config().data().channelPool()
                    + "), the model takes " + model.inputs());
        }
    }

    private static void refuseTest(Path file, Path testFile, String what) {
        try {
            if (testFile != null && Files.exists(file) && Files.exists(testFile) && Files.isSameFile(file, testFile)) {
                throw new InvalidInputException("the " + what + " " + file + " is the test file; calibrate on other data"
                        + " (the threshold must not see the test file)");
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot compare " + file + " with " + testFile + ": " + e.getMessage(), e);
        }
    }
}
