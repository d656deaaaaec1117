package io.myelin.models.delay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
import io.myelin.core.data.ValidationSplit;

/**
 * The data of one training run, binned once: the training file (less a seeded validation fraction when no validation
 * file is given), the validation split or file (may be null) and the test file, checked to agree in channels and
 * classes. Shared by the trainers, which also record the same provenance with every saved model.
 */
public record TrainingSets(DelayTrainer.Inputs inputs, SpikeDataset trainDs, SpikeDataset testDs, BinnedSet train,
                           BinnedSet valid, BinnedSet test) {

    /**
     * @param seed the run's seed (draws the validation split)
     */
    public static TrainingSets open(DelaySnnConfig.Data d, long seed, DelayTrainer.Inputs inputs) {
        FrameBinner binner = new FrameBinner(d.frameMs(), d.channelPool(), d.maxDurationMs());
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
    public ObjectNode provenance(int epoch, long seed, Evaluation.Result validRes, Evaluation.Result testRes) {
        ObjectNode p = ModelStore.JSON.createObjectNode();
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
        if (validRes != null) {
            p.put("valid_acc", validRes.accuracy());
        }
        p.put("test_acc", testRes.accuracy());
        p.put("class_names", String.join(",", trainDs.classNames()));
        return p;
    }
}
