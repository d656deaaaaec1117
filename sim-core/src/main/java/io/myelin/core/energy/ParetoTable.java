package io.myelin.core.energy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.myelin.core.json.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Energy per inference against accuracy over several configurations (delays / no delays / bit widths): which are
 * Pareto-optimal, i.e. no other configuration is at least as accurate for at most the energy and strictly better in
 * one of the two. Configurations without an accuracy take no part in the front ({@code pareto} is null).
 *
 * @param entries sorted by energy per sample, ascending
 */
public record ParetoTable(@JsonProperty("entries") List<Entry> entries) {

    /**
     * One configuration.
     *
     * @param label              configuration name (e.g. the report's directory)
     * @param energyPerSamplePj  energy per inference (pJ)
     * @param accuracy           accuracy (0..1) or null
     * @param snnAnnRatio        SNN energy / ANN energy, or null
     * @param bitBudget          network bit budget (b_w x b_a x T, synapse-weighted)
     * @param modelBits          stored model size (bits)
     * @param pareto             on the front, or null without accuracy
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Entry(@JsonProperty("label") String label,
                        @JsonProperty("energy_per_sample_pj") double energyPerSamplePj,
                        @JsonProperty("accuracy") Double accuracy,
                        @JsonProperty("snn_ann_ratio") Double snnAnnRatio,
                        @JsonProperty("bit_budget") double bitBudget,
                        @JsonProperty("model_bits") long modelBits,
                        @JsonProperty("pareto") Boolean pareto) {
    }

    /** Builds the table from labelled reports and marks the front. */
    public static ParetoTable of(List<String> labels, List<EnergyReport> reports) {
        List<Entry> raw = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            EnergyReport r = reports.get(i);
            raw.add(new Entry(labels.get(i), r.total().energyPerSamplePj(),
                    r.accuracy() == null ? null : r.accuracy().accuracy(), r.total().snnAnnRatio(),
                    r.total().bitBudget(), r.total().modelBits(), null));
        }
        return mark(raw);
    }

    /** Marks the Pareto front of {@code raw} (their {@code pareto} field is ignored). */
    public static ParetoTable mark(List<Entry> raw) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : raw) {
            Boolean front = null;
            if (e.accuracy() != null) {
                front = true;
                for (Entry o : raw) {
                    if (o != e && o.accuracy() != null && o.energyPerSamplePj() <= e.energyPerSamplePj()
                            && o.accuracy() >= e.accuracy()
                            && (o.energyPerSamplePj() < e.energyPerSamplePj() || o.accuracy() > e.accuracy())) {
                        front = false;
                        break;
                    }
                }
            }
            out.add(new Entry(e.label(), e.energyPerSamplePj(), e.accuracy(), e.snnAnnRatio(), e.bitBudget(),
                    e.modelBits(), front));
        }
        out.sort(Comparator.comparingDouble(Entry::energyPerSamplePj));
        return new ParetoTable(List.copyOf(out));
    }

    /** A fixed-width text table for the terminal. */
    public String toText() {
        int w = 12;
        for (Entry e : entries) {
            w = Math.max(w, e.label().length());
        }
        StringBuilder b = new StringBuilder();
        String fmt = "%-" + w + "s  %14s  %9s  %9s  %10s  %12s  %s%n";
        b.append(String.format(Locale.ROOT, fmt, "config", "energy/sample", "accuracy", "SNN/ANN", "bit budget",
                "model size", "pareto"));
        for (Entry e : entries) {
            b.append(String.format(Locale.ROOT, fmt, e.label(), QuantityFormat.energy(e.energyPerSamplePj()),
                    e.accuracy() == null ? "–" : QuantityFormat.percent(e.accuracy()),
                    e.snnAnnRatio() == null ? "–" : QuantityFormat.num(e.snnAnnRatio()), QuantityFormat.num(e.bitBudget()),
                    QuantityFormat.bits(e.modelBits()), e.pareto() == null ? "–" : e.pareto() ? "*" : ""));
        }
        return b.toString();
    }

    public String toJson() {
        try {
            return Json.indented().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
