package io.myelin.models.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
import io.myelin.core.data.ValidationSplit;

/**
 * The data of one training run, binned once: the training file (less a seeded validation fraction when no validation
 * file is given), the validation split or file (may be null) and the test file, checked to agree in channels and
 * classes, with the provenance every saved model records.
 */
public record TrainingSets(TrainingFiles inputs, SpikeDataset trainDs, SpikeDataset testDs, BinnedSet train,
                           BinnedSet valid, BinnedSet test) {

    /**
     * @param seed the run's seed (draws the validation split)
     */
    public static TrainingSets open(DataConfig d, long seed, TrainingFiles inputs) {
        FrameBinner binner = d.binner();
        SpikeDataset trainDs = Hdf5SpikeDataset.open(inputs.train());
        SpikeDataset validDs = inputs.valid() == null ? null : Hdf5SpikeDataset.open(inputs.valid());
        SpikeDataset testDs = Hdf5SpikeDataset.open(inputs.test());
        if (validDs == null && d.validFraction() > 0) {
            ValidationSplit split = ValidationSplit.byFraction(trainDs, d.validFraction(), seed);
            trainDs = split.train();
            validDs = split.valid();
        }
        checkCompatible(trainDs, testDs, "test");
        if (validDs != null) {
            checkCompatible(trainDs, validDs, "validation");
        }
        return new TrainingSets(inputs, trainDs, testDs, new BinnedSet(trainDs, binner),
                validDs == null ? null : new BinnedSet(validDs, binner), new BinnedSet(testDs, binner));
    }

    private static void checkCompatible(SpikeDataset train, SpikeDataset other, String what) {
        if (other.channels() != train.channels()) {
            throw new InvalidInputException("the " + what + " file " + other.source() + " has " + other.channels()
                    + " channels, the training file " + train.channels());
        }
        if (other.classes() > train.classes()) {
            throw new InvalidInputException("the " + what + " file " + other.source() + " has " + other.classes()
                    + " classes, the training file " + train.classes());
        }
    }

    /** Where a model saved at {@code epoch} came from, for its {@code model.json}. */
    public ObjectNode provenance(int epoch, long seed, Double validAcc, double testAcc) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("trainer", "myelin train");
        p.put("train_data", String.valueOf(inputs.train()));
        if (inputs.valid() != null) {
            p.put("valid_data", String.valueOf(inputs.valid()));
        }
        p.put("test_data", String.valueOf(inputs.test()));
        p.put("train_samples", trainDs.size());
        p.put("test_samples", testDs.size());
        p.put("seed", seed);
        p.put("epoch", epoch);
        if (validAcc != null) {
            p.put("valid_acc", validAcc);
        }
        p.put("test_acc", testAcc);
        p.put("class_names", String.join(",", trainDs.classNames()));
        return p;
    }
}
