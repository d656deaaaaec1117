package io.myelin.models.qsd;

import io.myelin.core.data.BinnedSample;
import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.core.energy.LayerActivity;
import io.myelin.core.energy.ModelActivity;
import io.myelin.core.energy.ModelActivityProvider;
import io.myelin.core.energy.ModelSize;
import io.myelin.core.energy.ParameterGroup;
import io.myelin.core.energy.ParameterKind;
import io.myelin.core.energy.SpikeRaster;
import io.myelin.kernels.quant.JavaIntegerOps;
import io.myelin.models.data.BinnedSet;
import io.myelin.models.data.TrainingFiles;
import io.myelin.models.layer.IeLif;
import io.myelin.models.quant.LevelLinear;
import io.myelin.models.quant.QuantizedProjection;
import io.myelin.models.train.Evaluation;
import io.myelin.models.train.RunStore;
import io.myelin.models.train.TrainedModelActivityProvider;
import io.myelin.models.train.Trainer;
import io.myelin.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The QSD-Transformer's report counts against counts derived independently: every sample run alone through the
 * model's evaluation forward pass (IE-LIF spike counts) and through the integer path, the binned data by hand, the
 * packed sizes of the layers, and QsdEvaluation's accuracy.
 */
class QsdActivityTest {
    private static final int C = 16, HEADS = 2, MLP = 2, TAPS = 7;

    static Path above(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** examples/configs/shd-qsd.json with tiny values: embedDim 16, 2 heads, 1 block, MLP ratio 2, 1 epoch, 1 thread. */
    static QsdConfig tiny(double bits, boolean delays) {
        QsdConfig s = QsdConfig.read(above("examples/configs/shd-qsd.json"));
        QsdConfig.Model m = s.model();
        QsdConfig.Training t = s.training();
        return new QsdConfig("test-qsd", s.kind(), s.data(),
                new QsdConfig.Model(C, HEADS, 1, MLP, bits, m.levels(), m.attentionScale(), m.rectify(), delays, TAPS,
                        m.sigmaTruncation()),
                new QsdConfig.Training(1, 50, 5, 5e-3, t.weightDecay(), t.positionLr(), 1),
                new QsdConfig.Distillation(false, 0, 1.0)).validate("test");
    }

    static Path trained(QsdConfig cfg, Path dir) {
        Path test = RepositoryFiles.testData("synth_test.h5");
        new Trainer(cfg, new TrainingFiles(RepositoryFiles.testData("synth_train.h5"), null, test), dir, null)
                .train();
        return dir;
    }

    static Path testFile() {
        return RepositoryFiles.testData("synth_test.h5");
    }

    /** Counts of one stage derived by hand. */
    record Expected(long spikes, long acs, long macs, long annMacs, long updates) {
    }

    static long sum(IeLif l) {
        long s = 0;
        for (byte c : l.counts()) {
            s += c;
        }
        return s;
    }

    /**
     * Each sample alone (batch of one: no padding) through a separately loaded model's evaluation forward pass and
     * through the integer path; the per-stage counts from its IE-LIF spike counts.
     */
    static Expected[] byHand(QsdTransformer model, BinnedSet set, int samples, long[] integerTotals, long[] steps) {
        int D = model.config().model().levels(), H = C * MLP, K = model.classes(), d = C / HEADS;
        Expected[] e = new Expected[7];
        long[][] v = new long[7][5];
        QsdIntegerInference integer = model.config().bitWidth() == null ? null
                : new QsdIntegerInference(QsdIntegerModel.export(model), new JavaIntegerOps());
        for (int i = 0; i < samples; i++) {
            BinnedSample s = set.sample(i);
            BinnedSet.Batch b = set.batch(new int[]{i}, 0);
            model.forward(b.x(), b.lengths(), false);
            if (integer != null) {
                integer.predict(b.x(), b.lengths());
            }
            int tokens = model.validTokens()[0];
            assertEquals(model.tokens(Math.max(1, s.frames())), tokens);
            steps[0] += (long) tokens * D;
            SpikingTransformerBlock blk = model.blocks().get(0);
            List<IeLif> an = blk.attention().neurons(), mn = blk.mlp().neurons();
            IeLif sIn = an.get(0), q = an.get(1), k = an.get(2), vv = an.get(3), att = an.get(4), m1 = mn.get(0),
                    m2 = mn.get(1), out = model.outputNeuron();
            for (IeLif l : List.of(sIn, q, k, vv, att, m1, m2, out)) {
                assertEquals(tokens, l.lastOutput().steps, "one sample alone: every token is valid");
            }
            long nz = 0;
            for (float x : b.x().data) {
                nz += x != 0 ? 1 : 0;
            }
            assertEquals(s.events(), nz, "non-zero binned entries = the sample's events");
            // attention core, per token and head: sum(K) sum(V) + sum(Q) d
            long core = 0;
            for (int t = 0; t < tokens; t++) {
                for (int h = 0; h < HEADS; h++) {
                    long ks = 0, vs = 0, qs = 0;
                    for (int j = 0; j < d; j++) {
                        ks += k.counts()[t * C + h * d + j];
                        vs += vv.counts()[t * C + h * d + j];
                        qs += q.counts()[t * C + h * d + j];
                    }
                    core += ks * vs + qs * d;
                }
            }
            long[][] add = {
                    {sum(sIn), 0, (long) s.events() * C, (long) model.inputs() * C * tokens, (long) C * tokens},
                    {sum(q) + sum(k) + sum(vv), sum(sIn) * 3 * C, 0, 3L * C * C * tokens, 3L * C * tokens},
                    {sum(att), core, 0, 2L * C * d * tokens, (long) C * tokens},
                    {sum(m1), sum(att) * C, 0, (long) C * C * tokens, (long) C * tokens},
                    {sum(m2), sum(m1) * H, 0, (long) C * H * tokens, (long) H * tokens},
                    {sum(out), sum(m2) * C, 0, (long) H * C * tokens, (long) C * tokens},
                    {0, sum(out) * K, 0, (long) C * K, K},
            };
            for (int st = 0; st < add.length; st++) {
                for (int f = 0; f < 5; f++) {
                    v[st][f] += add[st][f];
                }
            }
        }
        for (int st = 0; st < 7; st++) {
            e[st] = new Expected(v[st][0], v[st][1], v[st][2], v[st][3], v[st][4]);
        }
        if (integer != null) {
            QsdIntegerInference.Activity ia = integer.activity();
            integerTotals[0] = ia.embeddingMacs;
            integerTotals[1] = ia.blockAcs.get(0)[0];
            integerTotals[2] = ia.blockAcs.get(0)[1];
            integerTotals[3] = ia.headAcs;
        }
        return e;
    }

    static void checkCounts(Path dir, ModelActivity a, int samples) {
        QsdTransformer model = RunStore.of(dir).loadModel(QsdTransformer.class);
        BinnedSet set = new BinnedSet(Hdf5SpikeDataset.open(testFile()), new FrameBinner(model.config().data().frameMs(),
                model.config().data().channelPool(), model.config().data().maxDurationMs()));
        long[] integer = new long[4], steps = new long[1];
        Expected[] e = byHand(model, set, samples, integer, steps);
        List<LayerActivity> l = a.layers();
        assertEquals(List.of("embed", "block1.attn.qkv", "block1.attn.core", "block1.attn.o", "block1.mlp.fc1",
                "block1.mlp.fc2", "head"), l.stream().map(LayerActivity::name).toList());
        int D = model.config().model().levels();
        for (int k = 0; k < e.length; k++) {
            LayerActivity la = l.get(k);
            String n = la.name();
            assertEquals(e[k].spikes(), la.spikes(), n + " spikes");
            assertEquals(e[k].acs(), la.acs(), n + " ACs");
            assertEquals(e[k].macs(), la.macs(), n + " MACs");
            assertEquals(e[k].annMacs(), la.annMacs(), n + " ANN MACs");
            assertEquals(e[k].updates(), la.neuronUpdates(), n + " neuron updates");
            assertEquals(samples, la.samples());
            assertEquals(Math.round((double) steps[0] / samples), la.timeSteps(), n + " time steps = tokens x D");
            if (k > 0) {
                assertEquals(1, la.inputBits(), n + " binary input spikes");
            }
            assertTrue(la.firingRate() <= 1.0 + 1e-9, n + " spikes per neuron per virtual step");
        }
        assertTrue(l.get(0).inputBits() >= 1);
        assertTrue(l.get(0).macs() > 0 && l.get(1).acs() > 0 && l.get(2).acs() > 0 && l.get(4).acs() > 0,
                "the tiny model computes: " + l);
        assertEquals(0, l.get(0).acs());
        for (int k = 1; k < l.size(); k++) {
            assertEquals(0, l.get(k).macs(), l.get(k).name() + ": fed binary spikes, no MACs");
        }
        int wb = model.config().bitWidth() == null ? 32 : model.config().bitWidth().storedBits;
        assertEquals(wb, l.get(1).weightBits());
        assertEquals(0, l.get(2).weightBits(), "the attention core has no weights");
        assertEquals((double) model.config().data().frameMs() / D, a.dtMs(), 1e-12);
        if (model.config().bitWidth() != null) {
            // the integer path, each sample alone, counts the same operations
            assertEquals(integer[0], l.get(0).macs(), "integer path: embedding MACs");
            assertEquals(integer[1], l.get(1).acs() + l.get(3).acs() + l.get(4).acs() + l.get(5).acs(),
                    "integer path: projection ACs of the block");
            assertEquals(integer[2], l.get(2).acs(), "integer path: attention ACs");
            assertEquals(integer[3], l.get(6).acs(), "integer path: head ACs");
        }
        // accuracy equals QsdEvaluation's on the same samples
        QsdTransformer fresh = RunStore.of(dir).loadModel(QsdTransformer.class);
        var eval = Evaluation.run(fresh, QsdActivity.data(fresh, testFile(), samples), 64);
        assertEquals(eval.correct(), a.accuracy().correct());
        assertEquals(samples, a.accuracy().samples());
    }

    /** Bits the layers take when packed, plus the folded per-channel biases, attention scales and delays. */
    static void checkSize(QsdTransformer model, ModelSize size) {
        long packed = 0, quantizedParams = 0;
        for (LevelLinear q : model.quantizedLayers()) {
            packed += q.packed().storedBits();
            quantizedParams += (long) q.in() * q.out() + q.out();
        }
        long biases = 0, synapses = (long) C * model.classes();
        for (QuantizedProjection p : model.projections()) {
            biases += p.out();
            synapses += (long) p.in() * p.out();
        }
        long delays = model.embeddingDelays() == null ? 0 : (long) model.inputs() * C;
        int delayBits = ModelSize.delayBits(TAPS);
        assertEquals(3, delayBits);
        int blocks = model.blocks().size();
        if (model.config().bitWidth() != null) {
            assertEquals(packed + 32 * biases + 32L * blocks + delays * delayBits, size.totalBits(),
                    "packed weights and scales + float32 biases + attention scales + delays");
            assertEquals(32 * (quantizedParams + biases + blocks + delays), size.float32Bits());
            long weightBits = 0;
            for (ParameterGroup g : size.parameters()) {
                if (g.kind() == ParameterKind.WEIGHT) {
                    assertEquals(model.config().bitWidth().storedBits, g.bits(), g.layer());
                    weightBits += g.totalBits();
                }
            }
            assertEquals(synapses * model.config().bitWidth().storedBits, weightBits);
        } else {
            assertEquals(32 * (synapses + biases + blocks) + delays * delayBits, size.totalBits());
        }
        assertTrue(size.compression() >= 1.0);
    }

    static void checkEnergy(ModelActivity a) {
        EnergyModel em = EnergyModel.default45nm();
        EnergyReport r = EnergyReport.build(EnergyReport.Source.now("model", a.name(), a.detail()), em, a.dtMs(),
                a.layers(), a.size(), a.accuracy(), null, a.rasters());
        long acs = 0, macs = 0;
        for (LayerActivity l : a.layers()) {
            acs += l.acs();
            macs += l.macs();
        }
        assertEquals(acs, r.total().acs());
        assertEquals(macs, r.total().macs());
        double expected = macs * 4.6 + acs * 0.9;
        assertEquals(expected, r.total().energyPj(), 1e-9 * expected);
        assertEquals(a.size().totalBits(), r.total().modelBits());
        assertEquals(a.size().float32Bits(), r.total().float32ModelBits());
        assertTrue(r.total().bitBudget() > 0);
        EnergyReport back = EnergyReport.fromJson(r.toJson());
        assertEquals(r.total(), back.total());
    }

    @Test
    void quantizedModelWithDelaysCountsWhatItsSpikesAndDataSay(@TempDir Path tmp) {
        Path dir = trained(tiny(4, true), tmp.resolve("run"));
        ModelActivityProvider p = ModelActivityProvider.find(dir);
        assertNotNull(p, "the trained-model provider is registered");
        assertInstanceOf(TrainedModelActivityProvider.class, p);
        assertEquals("trained-model", p.name());
        int samples = 70;   // two batches of the report's 64: padding within a batch is not counted
        ModelActivity a = p.run(dir, testFile(), samples, 1);
        assertTrue(a.detail().contains("4-bit weights") && a.detail().contains("70 samples"), a.detail());
        assertEquals("delayed-dense", a.layers().get(0).kind());
        checkCounts(dir, a, samples);
        QsdTransformer model = RunStore.of(dir).loadModel(QsdTransformer.class);
        checkSize(model, a.size());
        checkEnergy(a);
        // the raster of sample 1 holds its binary spikes on virtual steps
        assertEquals(6, a.rasters().size());
        QsdTransformer alone = RunStore.of(dir).loadModel(QsdTransformer.class);
        BinnedSet set = QsdActivity.data(alone, testFile(), samples);
        BinnedSet.Batch b = set.batch(new int[]{1}, 0);
        alone.forward(b.x(), b.lengths(), false);
        SpikeRaster r0 = a.rasters().get(0);
        assertEquals("embed", r0.layer());
        assertEquals(sum(alone.blocks().get(0).attention().neurons().get(0)), r0.spikeCount());
        assertEquals((long) alone.validTokens()[0] * alone.config().model().levels(), r0.timeSteps());

        // the run's own integer counts include padded tokens of a batch but agree where padding takes no part
        QsdActivity.Result res = QsdActivity.count(RunStore.of(dir).loadModel(QsdTransformer.class), set, "x", "y", 64, -1);
        assertEquals(0, res.disagreements(), "integer and evaluation predictions agree");
        assertEquals(res.integer().embeddingMacs, res.activity().layers().get(0).macs());
        assertEquals(res.integer().blockAcs.get(0)[1], res.activity().layers().get(2).acs());
        assertEquals(res.integer().headAcs, res.activity().layers().get(6).acs());
        assertEquals(samples, res.integer().samples);
        assertTrue(res.activity().rasters().isEmpty());
        assertEquals(a.layers(), res.activity().layers(), "the batch size does not change the counts");
        assertEquals(a.layers(), QsdActivity.count(RunStore.of(dir).loadModel(QsdTransformer.class), set, "x", "y", 7, -1).activity().layers());
    }

    @Test
    void ternaryModelStoresTwoBitsAWeight(@TempDir Path tmp) {
        Path dir = trained(tiny(1.58, false), tmp.resolve("run"));
        int samples = 30;
        ModelActivity a = ModelActivityProvider.find(dir).run(dir, testFile(), samples, -1);
        assertTrue(a.detail().contains("1.58 bits nominal, stored in 2"), a.detail());
        assertEquals("dense", a.layers().get(0).kind());
        assertTrue(a.rasters().isEmpty());
        checkCounts(dir, a, samples);
        QsdTransformer model = RunStore.of(dir).loadModel(QsdTransformer.class);
        checkSize(model, a.size());
        assertEquals(2, a.layers().get(6).weightBits());
        assertTrue(a.size().compression() > 8, "2-bit weights: " + a.size().compression());
        checkEnergy(a);
    }

    @Test
    void floatTeacherIsCountedFromItsEvaluationPass(@TempDir Path tmp) {
        Path dir = trained(tiny(32, true), tmp.resolve("run"));
        QsdTransformer model = RunStore.of(dir).loadModel(QsdTransformer.class);
        assertNull(model.config().bitWidth());
        int samples = 20;
        QsdActivity.Result r = QsdActivity.count(model, QsdActivity.data(model, testFile(), samples), "t", "d", 64, 0);
        assertNull(r.integer());
        checkCounts(dir, r.activity(), samples);
        checkSize(model, r.activity().size());
        assertEquals(32, r.activity().layers().get(0).weightBits());
        checkEnergy(r.activity());
    }

    @Test
    void aModelThatNeverRanIsExportedWithItsInitialSteps() {
        QsdConfig cfg = tiny(4, true);
        BinnedSet set = new BinnedSet(Hdf5SpikeDataset.open(testFile()), new FrameBinner(cfg.data().frameMs(),
                cfg.data().channelPool(), cfg.data().maxDurationMs()));
        QsdTransformer fresh = new QsdTransformer(cfg, set.channels(), set.source().classes());
        QsdActivity.Result r = QsdActivity.count(fresh, QsdActivity.data(fresh, testFile(), 20), "fresh", "", 64, -1);
        assertEquals(0, r.disagreements(), "integer and evaluation paths agree from the first batch on");
        assertEquals(20, r.integer().samples);
    }
}
