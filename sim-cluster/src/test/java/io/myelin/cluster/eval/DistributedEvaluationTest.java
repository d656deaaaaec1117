package io.myelin.cluster.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.cluster.ClusterSession;
import io.myelin.cluster.TestRuns;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunConfig;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.TrainedModel;
import io.myelin.models.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.myelin.cluster.TestRuns.testData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Evaluation split over Spark tasks by ranges of the test file gives local evaluation's predictions, in order. */
class DistributedEvaluationTest {
    @Test
    void partitionedPredictionsAreLocalEvaluationsInOrder(@TempDir Path tmp) throws Exception {
        Path test = testData("sd_mini_test.h5");
        new Trainer(RunConfig.read(TestRuns.tinyConfig(tmp, 1)), new TrainingFiles(testData("sd_mini_train.h5"), null,
                test), tmp.resolve("run"), null).train();
        TrainedModel model = RunStore.of(tmp.resolve("run")).loadModel();
        Evaluation.Result local = Evaluation.run(model, BinnedSet.forModel(model.config().data(), model.inputs(),
                test, 0), 16);
        try (ClusterSession s = ClusterSession.open("local[2]", "eval test", Map.of(), 30)) {
            for (int partitions : new int[]{1, 3, 7}) {
                DistributedEvaluation.Result r = DistributedEvaluation.run(s.context(), tmp.resolve("run"), test, 0, 5,
                        partitions, 1);
                assertArrayEquals(local.predictions(), r.predictions(), partitions + " partitions");
                assertEquals(local.accuracy(), r.accuracy());
                assertEquals(partitions, r.partitions());
            }
            DistributedEvaluation.Result first = DistributedEvaluation.run(s.context(), tmp.resolve("run"), test, 13, 4,
                    2, 1);
            assertArrayEquals(java.util.Arrays.copyOf(local.predictions(), 13), first.predictions());
        }
        TestRuns.Cli cli = TestRuns.cli("eval", "--model", tmp.resolve("run").toString(), "--test", test.toString(),
                "--master", "local[2]", "--partitions", "4", "--json", "--predictions", tmp.resolve("p.csv").toString());
        assertEquals(0, cli.code(), cli.err());
        JsonNode n = new ObjectMapper().readTree(cli.lines().get(0));
        assertEquals(local.accuracy(), n.path("accuracy").asDouble());
        assertEquals(local.samples(), n.path("samples").asInt());
        List<String> csv = Files.readAllLines(tmp.resolve("p.csv"));
        assertEquals(local.samples() + 1, csv.size());
        for (int i = 0; i < local.samples(); i++) {
            assertEquals(local.predictions()[i], Integer.parseInt(csv.get(i + 1).split(",")[2]));
        }
        TestRuns.Cli missing = TestRuns.cli("eval", "--model", tmp.toString(), "--test", test.toString(), "--master",
                "local[2]");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("holds no trained model"), missing.err());
    }
}
