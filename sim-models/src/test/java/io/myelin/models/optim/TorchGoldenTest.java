package io.myelin.models.optim;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.json.Json;
import io.myelin.models.layer.DclsDelayedDense;
import io.myelin.models.layer.dcls.DclsPathChooser;
import io.myelin.models.layer.dcls.ForwardPath;
import io.myelin.models.module.Param;
import io.myelin.models.tensor.SeqTensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Values computed by PyTorch 1.13 itself ({@code src/test/resources/make_torch_golden.py}, Debian python3-torch):
 * the one-cycle and cosine schedules, Adam under a cycled beta1, and the DCLS formula of the peer script.
 */
class TorchGoldenTest {
    static JsonNode golden() throws IOException {
        try (InputStream in = TorchGoldenTest.class.getResourceAsStream("/torch-golden.json")) {
            return Json.reader().readTree(in);
        }
    }

    @Test
    void oneCycleMatchesTorch() throws IOException {
        JsonNode g = golden();
        OneCycleSchedule s = new OneCycleSchedule(5e-3, 20);
        for (int k = 0; k < 20; k++) {
            assertEquals(g.get("onecycle_lr").get(k).asDouble(), s.lr(k), 1e-12, "lr " + k);
            assertEquals(g.get("onecycle_beta1").get(k).asDouble(), s.beta1(k), 1e-12, "beta1 " + k);
        }
    }

    @Test
    void cosineMatchesTorch() throws IOException {
        JsonNode g = golden();
        CosineSchedule s = new CosineSchedule(0.1, 20);
        for (int k = 0; k < 20; k++) {
            assertEquals(g.get("cosine_lr").get(k).asDouble(), s.lr(k), 1e-12, "lr " + k);
        }
    }

    @Test
    void adamWithCycledBeta1MatchesTorch() throws IOException {
        JsonNode g = golden();
        Param w = new Param("w", Param.Kind.WEIGHT, new float[]{1.0f, -2.0f, 0.5f});
        ParamGroup group = new ParamGroup("w", List.of(w), 1e-3, 1e-5);
        Adam adam = new Adam(List.of(group));
        OneCycleSchedule s = new OneCycleSchedule(5e-3, 4);
        float[][] grads = {{0.3f, -0.1f, 0.0f}, {0.2f, 0.4f, -1.0f}, {-0.5f, 0.05f, 0.25f}};
        for (int e = 0; e < 4; e++) {
            s.apply(e, group);
            for (float[] gr : grads) {
                System.arraycopy(gr, 0, w.grad, 0, 3);
                adam.step();
            }
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(g.get("adam_onecycle_w").get(k).asDouble(), w.value[k], 1e-6, "w " + k);
        }
    }

    @Test
    void dclsFormulaMatchesThePeerScript() throws IOException {
        JsonNode g = golden();
        int td = 5, in = 3, out = 2, t = 6;
        DclsDelayedDense l = new DclsDelayedDense("l", in, out, td, DclsDelayedDense.DelayMode.LEARNED, 0, 1);
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                l.weight().value[o * in + i] = (float) g.get("dcls_W").get(o).get(i).asDouble();
                l.position().value[o * in + i] = (float) g.get("dcls_P").get(o).get(i).asDouble();
            }
        }
        float[] x = new float[t * in];
        for (int s = 0; s < t; s++) {
            for (int i = 0; i < in; i++) {
                x[s * in + i] = (float) g.get("dcls_x").get(s).get(i).asDouble();
            }
        }
        l.setSig(1.0);
        for (ForwardPath path : ForwardPath.values()) {
            l.setPathChooser(DclsPathChooser.byCost().with(path));
            SeqTensor train = l.forward(new SeqTensor(t, 1, in, x), true);
            assertEquals(g.get("dcls_train_sig1").size(), train.data.length);
            for (int k = 0; k < train.data.length; k++) {
                assertEquals(g.get("dcls_train_sig1").get(k).asDouble(), train.data[k], 1e-5, "train " + k);
            }
            SeqTensor eval = l.forward(new SeqTensor(t, 1, in, x), false);
            for (int k = 0; k < eval.data.length; k++) {
                assertEquals(g.get("dcls_eval").get(k).asDouble(), eval.data[k], 1e-6, "eval " + k);
            }
        }
    }
}
