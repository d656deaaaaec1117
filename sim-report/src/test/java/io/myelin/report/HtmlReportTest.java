package io.myelin.report;

import io.myelin.core.energy.Accuracy;
import io.myelin.core.energy.EnergyModel;
import io.myelin.core.energy.EnergyReport;
import io.myelin.core.energy.EpochMetrics;
import io.myelin.core.energy.LayerActivity;
import io.myelin.core.energy.ModelSize;
import io.myelin.core.energy.ParameterKind;
import io.myelin.core.energy.ParetoTable;
import io.myelin.core.energy.SpikeRaster;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page is well-formed XHTML (parsed with the JDK's XML parser) with one SVG plot and a table per section. */
class HtmlReportTest {
    private static final String XHTML = "http://www.w3.org/1999/xhtml";
    private static final String SVG = "http://www.w3.org/2000/svg";

    static Document parse(String page) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
    }

    /** SVG elements of a section that are not inside another SVG. */
    static int outermostSvgs(Element section) {
        NodeList all = section.getElementsByTagNameNS(SVG, "svg");
        int n = 0;
        for (int i = 0; i < all.getLength(); i++) {
            Node p = all.item(i).getParentNode();
            boolean nested = false;
            while (p != null && p != section) {
                if (SVG.equals(p.getNamespaceURI()) && "svg".equals(p.getLocalName())) {
                    nested = true;
                }
                p = p.getParentNode();
            }
            if (!nested) {
                n++;
            }
        }
        return n;
    }

    static EnergyReport report(boolean withEpochs) {
        List<LayerActivity> layers = List.of(
                new LayerActivity("input <700 ch> & co", "source", 40, 50, 3, 300, 0, 0, 0, 0, 0, 0, 2),
                new LayerActivity("hidden", "delayed-dense", 30, 50, 3, 200, 0, 18_000, 4500, 1200, 180_000, 8, 2),
                new LayerActivity("out", "readout", 5, 50, 3, 0, 1000, 0, 750, 150, 22_500, 8, 1));
        ModelSize size = ModelSize.builder().add("hidden", ParameterKind.WEIGHT, 1200, 8).delays("hidden", 1200, 25)
                .add("hidden", ParameterKind.BATCH_NORM, 120, 32).add("out", ParameterKind.WEIGHT, 150, 8).build();
        List<SpikeRaster> rasters = new ArrayList<>();
        rasters.add(new SpikeRaster("input <700 ch> & co", 40, 50, 10, new int[]{0, 1, 49}, new int[]{0, 39, 7}, false));
        rasters.add(new SpikeRaster("hidden", 30, 50, 10, new int[]{2, 2}, new int[]{3, 4}, true));
        rasters.add(new SpikeRaster("out", 5, 50, 10, new int[0], new int[0], false));
        List<EpochMetrics> epochs = withEpochs ? List.of(new EpochMetrics(1, 0.4, 0.35, null),
                new EpochMetrics(2, 0.7, 0.6, null), new EpochMetrics(3, 0.8, 0.7, 0.68)) : null;
        return EnergyReport.build(EnergyReport.Source.now("model", "test & \"model\"", null), EnergyModel.default45nm(), 10,
                layers, size, new Accuracy(2, 3), epochs, rasters);
    }

    @Test
    void everySectionHasOneSvgAndATable() throws Exception {
        String page = HtmlReport.render(report(true));
        Document d = parse(page);
        assertEquals(XHTML, d.getDocumentElement().getNamespaceURI());
        NodeList sections = d.getElementsByTagNameNS(XHTML, "section");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < sections.getLength(); i++) {
            Element s = (Element) sections.item(i);
            ids.add(s.getAttribute("id"));
            assertEquals(1, outermostSvgs(s), "one plot in section " + s.getAttribute("id"));
            assertTrue(s.getElementsByTagNameNS(XHTML, "table").getLength() >= 1, "a table in " + s.getAttribute("id"));
        }
        assertEquals(List.of("summary", "raster", "firing-rate", "operations", "energy", "model-size", "bit-budget",
                "accuracy"), ids);
        assertTrue(page.contains("input &lt;700 ch&gt; &amp; co"), "names are escaped");
        assertTrue(noExternalRefs(page), "self-contained");
    }

    /** The only URLs on the page are namespace names. */
    private static boolean noExternalRefs(String page) {
        String s = page.replace("http://www.w3.org/1999/xhtml", "").replace("http://www.w3.org/2000/svg", "");
        return !s.contains("http://") && !s.contains("https://") && !s.contains("<script");
    }

    @Test
    void withoutMetricsOrRastersThoseSectionsAreLeftOut() throws Exception {
        EnergyReport full = report(false);
        EnergyReport r = new EnergyReport(full.schema(), full.source(), full.energyModel(), full.samples(), full.dtMs(),
                full.layers(), full.total(), full.modelSize(), null, null, null);
        Document d = parse(HtmlReport.render(r));
        NodeList sections = d.getElementsByTagNameNS(XHTML, "section");
        assertEquals(6, sections.getLength());
        assertEquals(6, d.getElementsByTagNameNS(SVG, "svg").getLength() - 2, "the energy section nests 2 charts");
        assertTrue(noExternalRefs(HtmlReport.render(r)));
    }

    @Test
    void paretoPageIsWellFormed() throws Exception {
        ParetoTable t = ParetoTable.mark(List.of(new ParetoTable.Entry("a", 100, 0.9, 0.1, 128, 1000, null),
                new ParetoTable.Entry("b<c", 10, 0.8, 0.01, 16, 100, null),
                new ParetoTable.Entry("none", 5, null, null, 16, 100, null)));
        Document d = parse(ParetoPage.render(t));
        Element s = (Element) d.getElementsByTagNameNS(XHTML, "section").item(0);
        assertEquals(1, outermostSvgs(s));
        assertEquals(2, s.getElementsByTagNameNS(SVG, "circle").getLength(), "one point per labelled config");
    }
}
