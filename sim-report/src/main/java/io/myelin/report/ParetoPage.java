package io.myelin.report;

import io.myelin.core.energy.ParetoTable;

import java.util.ArrayList;
import java.util.List;

import static io.myelin.core.energy.QuantityFormat.bits;
import static io.myelin.core.energy.QuantityFormat.energy;
import static io.myelin.core.energy.QuantityFormat.num;
import static io.myelin.core.energy.QuantityFormat.percent;

/** {@code pareto.html}: energy per inference vs accuracy over configurations, one scatter plot and its table. */
public final class ParetoPage {
    private ParetoPage() {
    }

    public static String render(ParetoTable t) {
        HtmlReport.Page p = new HtmlReport.Page("Myelin energy / accuracy comparison");
        p.raw("<header><h1>Energy vs accuracy</h1><p class=\"meta\">" + t.entries().size() + " configurations</p></header>");
        p.section("pareto", "Energy per inference vs accuracy", "Red points are Pareto-optimal: no other configuration is "
                + "at least as accurate for at most the energy. Energy axis is logarithmic.");
        List<Charts.Point> pts = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        for (ParetoTable.Entry e : t.entries()) {
            if (e.accuracy() != null) {
                pts.add(new Charts.Point(e.label(), e.energyPerSamplePj(), e.accuracy(), Boolean.TRUE.equals(e.pareto())));
            }
            rows.add(new String[]{e.label(), energy(e.energyPerSamplePj()), e.accuracy() == null ? "–" : percent(e.accuracy()),
                    e.snnAnnRatio() == null ? "–" : num(e.snnAnnRatio()), num(e.bitBudget()), bits(e.modelBits()),
                    e.pareto() == null ? "–" : e.pareto() ? "yes" : "no"});
        }
        p.raw(Charts.scatterLogX("energy vs accuracy", pts, "energy per inference", "accuracy"));
        p.table(new String[]{"config", "energy / inference", "accuracy", "SNN / ANN", "bit budget", "model size", "Pareto"},
                rows, 1);
        p.end();
        return p.finish();
    }
}
