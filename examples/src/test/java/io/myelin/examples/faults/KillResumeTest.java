package io.myelin.examples.faults;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.json.Json;
import io.myelin.models.train.RunStore;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 at any moment of training, with real child processes of the command line, then {@code --resume} to the end:
 * the run directory must equal an uninterrupted run's bit for bit (metrics without timings, checkpoint, model, report)
 * and hold nothing a kill left behind. Random kill times (some runs killed twice), kills exactly during each write,
 * a full disk during writes, a second process on the same directory, and a distilled QSD-Transformer killed in its
 * teacher phase. Tiny configs on a subset of test-data, so the whole class takes about a minute.
 */
class KillResumeTest {
    /** Random kills in the build; {@code myelin bench faults --kills N} runs more. */
    static final int RANDOM_KILLS = Integer.getInteger("myelin.random.kills", 4);
    static final Duration LIMIT = Duration.ofSeconds(120);

    @Test
    void everyKillResumesToTheUninterruptedRunBitForBit(@TempDir Path tmp) throws Exception {
        FaultSuiteInputs inputs = new FaultSuiteInputs(RepositoryFiles.root());
        Path[] d = inputs.smallData(tmp.resolve("data"));
        KillResumeCampaign delay = new KillResumeCampaign(new KillResumeCampaign.Setup(tmp.resolve("delay"), d[0], d[1],
                inputs.delayConfig(tmp), List.of(), LIMIT));
        List<KillResumeCampaign.Trial> trials = new ArrayList<>();
        for (int i = 0; i < RANDOM_KILLS; i++) {
            trials.add(delay.randomKill(1000 + i, i == 1));
        }
        trials.add(delay.killDuringWrite(RunStore.CHECKPOINT, 2, 3000));
        trials.add(delay.killDuringWrite("model-e*.bin", 1, 2000));
        trials.add(delay.killDuringWrite(RunStore.MODEL_JSON, 1, 100));
        trials.add(delay.killDuringWrite(RunStore.METRICS, 2, 20));
        trials.add(delay.killDuringWrite(RunStore.RUN_JSON, 1, 50));
        trials.add(delay.killDuringWrite("report.html", 1, 2000));
        trials.add(delay.diskFull(RunStore.CHECKPOINT, 3, 4000));
        trials.add(delay.diskFull("model-e*.bin", 1, 500));
        trials.add(delay.diskFull(RunStore.METRICS, 2, 10));
        trials.add(delay.secondProcess());

        KillResumeCampaign qsd = new KillResumeCampaign(new KillResumeCampaign.Setup(tmp.resolve("qsd"), d[0], d[1],
                inputs.qsdConfig(tmp), List.of("teacher"), LIMIT));
        trials.add(qsd.killWhen("QSD teacher phase", "teacher/" + RunStore.CHECKPOINT, RunStore.CHECKPOINT));

        MessageCatalog messages = delay.messages();
        messages.addAll(qsd.messages());
        FaultRecord.write("kills", record(trials, messages, delay.referenceSeconds()));
        List<String> failed = new ArrayList<>();
        for (KillResumeCampaign.Trial t : trials) {
            if (!t.survived()) {
                failed.add(t.point() + " (" + t.detail() + "): " + t.problems());
            }
        }
        assertTrue(failed.isEmpty(), failed.size() + " of " + trials.size() + " kills not survived:\n"
                + String.join("\n", failed));
        assertTrue(trials.stream().allMatch(KillResumeCampaign.Trial::killed), "every trial kills: " + trials);
        assertTrue(trials.get(trials.size() - 1).killed(), "the QSD run was killed in its teacher phase");
    }

    static ObjectNode record(List<KillResumeCampaign.Trial> trials, MessageCatalog messages, double referenceSeconds) {
        ObjectNode n = Json.object();
        n.put("tried", trials.stream().filter(KillResumeCampaign.Trial::killed).count());
        n.put("survived", trials.stream().filter(t -> t.killed() && t.survived()).count());
        n.put("reference_seconds", Math.round(referenceSeconds * 10) / 10.0);
        ArrayNode a = n.putArray("trials");
        for (KillResumeCampaign.Trial t : trials) {
            ObjectNode o = a.addObject();
            o.put("point", t.point());
            o.put("killed", t.killed());
            o.put("survived", t.survived());
        }
        n.set("messages", FaultRecord.messages(messages));
        return n;
    }
}
