package io.myelin.core.energy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Energy, operation and bit-budget report of one run, written as {@code report.json}. The schema (documented in
 * {@code docs/energy-report.md}, identifier {@value #SCHEMA}) is stable: fields are only ever added.
 *
 * <p>Energy of a layer, with E from the {@link EnergyModel} at the layer's operand widths:
 * <pre>
 *   energy_pj     = acs x E_AC(weight_bits) + macs x E_MAC(max(weight_bits, input_bits))
 *                 + (acs + macs) x weight_bits x memory_pj_per_bit + neuron_updates x neuron_update_pj
 *   ann_energy_pj = ann_macs x (E_MAC(reference_bits) + reference_bits x memory_pj_per_bit)
 * </pre>
 * The ANN is the same architecture with dense float activations at the model's reference width (32 bits for the
 * default), so "SNN energy / ANN energy" isolates what sparse binary spikes save. Totals sum the layers; per-sample
 * figures divide by {@code samples}.
 *
 * @param schema      {@value #SCHEMA}
 * @param source      what was measured
 * @param energyModel the constants used
 * @param samples     inferences the counts are summed over
 * @param dtMs        time step (ms), 0 when steps are abstract
 * @param layers      per-layer figures, in network order
 * @param total       sums over layers
 * @param modelSize   stored parameters by kind
 * @param accuracy    accuracy over the samples, or null when labels are unknown
 * @param epochs      accuracy per epoch from the training run's metrics.jsonl, or null
 * @param rasters     spikes of one sample per layer, for the raster plot, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "source", "energy_model", "samples", "dt_ms", "layers", "total", "model_size", "accuracy",
        "epochs", "rasters"})
public record EnergyReport(@JsonProperty("schema") String schema,
                           @JsonProperty("source") Source source,
                           @JsonProperty("energy_model") EnergyModel energyModel,
                           @JsonProperty("samples") long samples,
                           @JsonProperty("dt_ms") double dtMs,
                           @JsonProperty("layers") List<Layer> layers,
                           @JsonProperty("total") Total total,
                           @JsonProperty("model_size") ModelSize modelSize,
                           @JsonProperty("accuracy") Accuracy accuracy,
                           @JsonProperty("epochs") List<EpochMetrics> epochs,
                           @JsonProperty("rasters") List<SpikeRaster> rasters) {

    /** Schema identifier written in every report. */
    public static final String SCHEMA = "myelin.energy-report/1";

    /** Reports of a later schema version add fields: this one reads what it knows. */
    private static final ObjectReader READER = Json.reader().forType(EnergyReport.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * What was measured.
     *
     * @param kind    {@code engine} (a network run in the simulator) or {@code model} (a trained model's inference)
     * @param name    the spec file, model directory or configuration label
     * @param detail  free text: duration, backend, data file, ...
     * @param created when the report was made (ISO-8601 instant)
     */
    public record Source(@JsonProperty("kind") String kind, @JsonProperty("name") String name,
                         @JsonProperty("detail") String detail, @JsonProperty("created") String created) {
        public static Source now(String kind, String name, String detail) {
            return new Source(kind, name, detail, Instant.now().toString());
        }
    }

    /** One layer's counts (summed over the samples) and what they cost. */
    @JsonPropertyOrder({"name", "kind", "neurons", "time_steps", "spikes", "firing_rate", "acs", "macs",
            "neuron_updates", "synapses", "weight_bits", "input_bits", "ac_energy_pj", "mac_energy_pj",
            "other_energy_pj", "energy_pj", "ann_macs", "ann_energy_pj", "snn_ann_ratio", "bit_budget"})
    public record Layer(@JsonProperty("name") String name,
                        @JsonProperty("kind") String kind,
                        @JsonProperty("neurons") int neurons,
                        @JsonProperty("time_steps") long timeSteps,
                        @JsonProperty("spikes") long spikes,
                        /* spikes per neuron per time step */
                        @JsonProperty("firing_rate") double firingRate,
                        @JsonProperty("acs") long acs,
                        @JsonProperty("macs") long macs,
                        @JsonProperty("neuron_updates") long neuronUpdates,
                        @JsonProperty("synapses") long synapses,
                        @JsonProperty("weight_bits") int weightBits,
                        @JsonProperty("input_bits") int inputBits,
                        @JsonProperty("ac_energy_pj") double acEnergyPj,
                        @JsonProperty("mac_energy_pj") double macEnergyPj,
                        /* memory and neuron-update terms */
                        @JsonProperty("other_energy_pj") double otherEnergyPj,
                        @JsonProperty("energy_pj") double energyPj,
                        @JsonProperty("ann_macs") long annMacs,
                        @JsonProperty("ann_energy_pj") double annEnergyPj,
                        /* null when the layer has no ANN counterpart (an input layer) */
                        @JsonProperty("snn_ann_ratio") Double snnAnnRatio,
                        @JsonProperty("bit_budget") long bitBudget) {
    }

    /** Sums over all layers. */
    @JsonPropertyOrder({"acs", "macs", "neuron_updates", "spikes", "energy_pj", "energy_per_sample_pj", "ann_energy_pj",
            "ann_energy_per_sample_pj", "snn_ann_ratio", "model_bits", "float32_model_bits", "bit_budget",
            "bit_operations"})
    public record Total(@JsonProperty("acs") long acs,
                        @JsonProperty("macs") long macs,
                        @JsonProperty("neuron_updates") long neuronUpdates,
                        @JsonProperty("spikes") long spikes,
                        @JsonProperty("energy_pj") double energyPj,
                        @JsonProperty("energy_per_sample_pj") double energyPerSamplePj,
                        @JsonProperty("ann_energy_pj") double annEnergyPj,
                        @JsonProperty("ann_energy_per_sample_pj") double annEnergyPerSamplePj,
                        @JsonProperty("snn_ann_ratio") Double snnAnnRatio,
                        @JsonProperty("model_bits") long modelBits,
                        @JsonProperty("float32_model_bits") long float32ModelBits,
                        /* synapse-weighted mean of the layers' b_w x b_a x T, see BitBudget */
                        @JsonProperty("bit_budget") double bitBudget,
                        @JsonProperty("bit_operations") double bitOperations) {
    }

    /** Computes every figure from the layers' counts, the energy model and the model size. */
    public static EnergyReport build(Source source, EnergyModel model, double dtMs, List<LayerActivity> activity,
                                     ModelSize size, Accuracy accuracy, List<EpochMetrics> epochs,
                                     List<SpikeRaster> rasters) {
        if (activity.isEmpty()) {
            throw new InvalidInputException("energy report: no layers to report");
        }
        long samples = activity.get(0).samples();
        List<Layer> layers = new ArrayList<>();
        long acs = 0, macs = 0, updates = 0, spikes = 0;
        double energy = 0, ann = 0;
        for (LayerActivity a : activity) {
            if (a.samples() != samples) {
                throw new InvalidInputException("energy report: layer '" + a.name() + "' counts " + a.samples()
                        + " samples but layer '" + activity.get(0).name() + "' counts " + samples);
            }
            Layer l = layer(model, a);
            layers.add(l);
            acs += a.acs();
            macs += a.macs();
            updates += a.neuronUpdates();
            spikes += a.spikes();
            energy += l.energyPj();
            ann += l.annEnergyPj();
        }
        Total total = new Total(acs, macs, updates, spikes, energy, energy / samples, ann, ann / samples,
                ann > 0 ? energy / ann : null, size.totalBits(), size.float32Bits(),
                BitBudget.networkBudget(activity), BitBudget.bitOperations(activity));
        return new EnergyReport(SCHEMA, source, model, samples, dtMs, List.copyOf(layers), total, size, accuracy,
                epochs == null || epochs.isEmpty() ? null : List.copyOf(epochs),
                rasters == null || rasters.isEmpty() ? null : List.copyOf(rasters));
    }

    static Layer layer(EnergyModel m, LayerActivity a) {
        double ac = a.acs() * m.acPj(Math.max(1, a.weightBits()));
        double mac = a.macs() * m.macPj(Math.max(1, Math.max(a.weightBits(), a.inputBits())));
        double other = (double) (a.acs() + a.macs()) * a.weightBits() * m.memoryPjPerBit()
                + a.neuronUpdates() * m.neuronUpdatePj();
        double e = ac + mac + other;
        double annE = a.annMacs() * (m.macPj(m.referenceBits()) + m.referenceBits() * m.memoryPjPerBit());
        return new Layer(a.name(), a.kind(), a.neurons(), a.timeSteps(), a.spikes(), a.firingRate(), a.acs(), a.macs(),
                a.neuronUpdates(), a.synapses(), a.weightBits(), a.inputBits(), ac, mac, other, e, a.annMacs(), annE,
                annE > 0 ? e / annE : null, a.bitBudget());
    }

    /** The report as indented JSON. */
    public String toJson() {
        try {
            return Json.indented().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the energy report", e);
        }
    }

    public static EnergyReport fromJson(String json) {
        try {
            EnergyReport r = READER.readValue(json);
            if (r.schema() == null || !r.schema().startsWith("myelin.energy-report/")) {
                throw new InvalidInputException("not a Myelin energy report: 'schema' is " + r.schema()
                        + ", expected " + SCHEMA);
            }
            if (r.layers() == null || r.total() == null || r.energyModel() == null) {
                throw new InvalidInputException("energy report lacks 'layers', 'total' or 'energy_model'");
            }
            return r;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("energy report is not valid JSON of the expected shape: "
                    + e.getOriginalMessage(), e);
        }
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson());
    }

    public static EnergyReport read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read energy report " + file + ": " + e.getMessage(), e);
        }
        try {
            return fromJson(text);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(file + ": " + e.getMessage(), e);
        }
    }
}
