package io.myelin.models.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
        TrainedOn trainedOn = TrainedOn.of(trainDs);
        String subject = "the training file " + inputs.train();
        trainedOn.check(TrainedOn.of(testDs), "the test file " + inputs.test(), subject);
        if (inputs.valid() != null) {
            trainedOn.check(TrainedOn.of(validDs), "the validation file " + inputs.valid(), subject);
        }
        return new TrainingSets(inputs, trainDs, testDs, new BinnedSet(trainDs, binner),
                validDs == null ? null : new BinnedSet(validDs, binner), new BinnedSet(testDs, binner));
    }

    /** What a model trained on these sets is trained on (recorded in its model and checkpoint). */
    public TrainedOn trainedOn() {
        return TrainedOn.of(trainDs);
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
