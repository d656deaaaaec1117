package io.myelin.cluster.eval;

import io.myelin.cluster.SparkFailures;
import io.myelin.core.InvalidInputException;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.tensor.Workers;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.TrainedModel;
import org.apache.spark.api.java.JavaSparkContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code eval --master}: the test file split into contiguous ranges of samples, one Spark task per range, each opening
 * the HDF5 file and reading only its range, loading the model from its run directory and predicting in evaluation
 * mode exactly as {@link Evaluation} does (each batch padded by the model's extension, so a prediction does not
 * depend on the batch or partition it falls in); predictions come back in sample order.
 */
public final class DistributedEvaluation {
    /** Predictions of every sample, in order, and their accuracy. */
    public record Result(int[] predictions, int[] labels, int correct, int partitions, double seconds) {
        public int samples() {
            return predictions.length;
        }

        public double accuracy() {
            return predictions.length == 0 ? 0 : (double) correct / predictions.length;
        }

        public double samplesPerSecond() {
            return seconds > 0 ? predictions.length / seconds : 0;
        }
    }

    private DistributedEvaluation() {
    }

    /**
     * @param samples    the first this many samples (0: all)
     * @param partitions ranges to split them into
     */
    public static Result run(JavaSparkContext sc, Path model, Path test, int samples, int batch, int partitions,
                             int threads) {
        if (!Files.isRegularFile(model.resolve(RunStore.MODEL_JSON))) {
            throw new InvalidInputException(model + " holds no trained model (" + RunStore.MODEL_JSON + " is missing)");
        }
        if (!Files.isRegularFile(test)) {
            throw new InvalidInputException("--test " + test + " does not exist");
        }
        if (batch < 1 || partitions < 1 || threads < 1 || samples < 0) {
            throw new InvalidInputException("--batch, --partitions and --threads must be >= 1, --samples >= 0");
        }
        int total = Hdf5SpikeDataset.samples(test);
        int n = samples > 0 ? Math.min(samples, total) : total;
        int p = Math.max(1, Math.min(partitions, n));
        List<EvalPartition> parts = new ArrayList<>();
        String m = model.toAbsolutePath().toString(), t = test.toAbsolutePath().toString();
        for (int i = 0; i < p; i++) {
            parts.add(new EvalPartition(m, t, (int) ((long) i * n / p), (int) ((long) (i + 1) * n / p), batch, threads));
        }
        long t0 = System.nanoTime();
        List<PartitionResult> rs;
        try {
            sc.setJobDescription("myelin eval " + model.getFileName() + " on " + test.getFileName());
            rs = sc.parallelize(parts, p).map(DistributedEvaluation::evaluate).collect();
        } catch (RuntimeException e) {
            throw new InvalidInputException(SparkFailures.message(e));
        }
        int[] pred = new int[n], labels = new int[n];
        int correct = 0;
        for (PartitionResult r : rs) {
            System.arraycopy(r.predictions(), 0, pred, r.from(), r.predictions().length);
            System.arraycopy(r.labels(), 0, labels, r.from(), r.labels().length);
        }
        for (int i = 0; i < n; i++) {
            if (pred[i] == labels[i]) {
                correct++;
            }
        }
        return new Result(pred, labels, correct, p, (System.nanoTime() - t0) / 1e9);
    }

    /** One partition, on its executor. */
    static PartitionResult evaluate(EvalPartition part) {
        long t0 = System.nanoTime();
        TrainedModel model = RunStore.of(Path.of(part.model())).loadModel();
        SpikeDataset ds = Hdf5SpikeDataset.open(Path.of(part.test()), part.from(), part.to());
        var binner = model.config().data().binner();
        if (binner.pooledChannels(ds.channels()) != model.inputs()) {
            throw new InvalidInputException(part.test() + " has " + ds.channels() + " channels ("
                    + binner.pooledChannels(ds.channels()) + " after pooling), the model takes " + model.inputs());
        }
        BinnedSet data = new BinnedSet(ds, binner);
        Evaluation.Result r;
        try (Workers w = new Workers(part.threads())) {
            model.setWorkers(w);
            r = Evaluation.run(model, data, part.batch());
        }
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.label(i);
        }
        return new PartitionResult(part.from(), r.predictions(), labels, (System.nanoTime() - t0) / 1e9);
    }
}
