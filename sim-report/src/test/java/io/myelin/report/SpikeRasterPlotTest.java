package io.myelin.report;

import io.myelin.core.InvalidInputException;
import io.myelin.core.energy.SpikeRaster;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one raster renderer: where each spike lands, one mark per spike, thinning, and what every panel says. */
class SpikeRasterPlotTest {
    private static final String SVG = "http://www.w3.org/2000/svg";
    /** The plot area: x from 180 to 930 px (960 wide, 180 left for labels, 30 right). */
    private static final double LEFT = 180, PLOT_W = 750;

    private static Document parse(String svg) throws Exception {
        return HtmlReportTest.parse("<?xml version=\"1.0\"?>\n" + svg);
    }

    private static List<String> texts(Document d) {
        NodeList t = d.getElementsByTagNameNS(SVG, "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.getLength(); i++) {
            out.add(t.item(i).getTextContent());
        }
        return out;
    }

    /** The rectangles of the path of a BY_PANEL panel: "Mx yh.." per spike. */
    private static List<double[]> marks(Element path) {
        List<double[]> out = new ArrayList<>();
        for (String m : path.getAttribute("d").split("M")) {
            if (!m.isEmpty()) {
                String[] xy = m.substring(0, m.indexOf('h')).split(" ");
                out.add(new double[]{Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
            }
        }
        return out;
    }

    @Test
    void eachSpikeLandsAtItsTimeAndNeuronInItsPanel() throws Exception {
        // panel 1: 10 neurons, 150 px high at most, 36 at least -> 36 px, 3.6 px per neuron; panel 2 starts 36 + 14 lower
        SpikeRasterPlot.Panel a = new SpikeRasterPlot.Panel("a", 10, new double[]{0, 50, 100}, new int[]{0, 9, 5}, null);
        SpikeRasterPlot.Panel b = new SpikeRasterPlot.Panel("b & <c>", 200, new double[]{25}, new int[]{199}, "a note");
        String svg = SpikeRasterPlot.builder().timeAxis(100, "time (ms)", 1).build().render(List.of(a, b));
        Document d = parse(svg);
        NodeList paths = d.getElementsByTagNameNS(SVG, "path");
        assertEquals(2, paths.getLength(), "one path per panel");
        List<double[]> ma = marks((Element) paths.item(0));
        assertEquals(3, ma.size());
        double sy = 36 / 10.0, dot = Math.min(3, sy);
        double[][] expectA = {{LEFT, 10 + (sy - dot) / 2}, {LEFT + PLOT_W / 2, 10 + 9 * sy + (sy - dot) / 2},
                {LEFT + PLOT_W, 10 + 5 * sy + (sy - dot) / 2}};
        for (int k = 0; k < 3; k++) {
            assertEquals(expectA[k][0], ma.get(k)[0], 0.006, "x of spike " + k);
            assertEquals(expectA[k][1], ma.get(k)[1], 0.006, "y of spike " + k);
        }
        List<double[]> mb = marks((Element) paths.item(1));
        double top = 10 + 36 + 14, syb = 150 / 200.0, dotB = 1.2;
        assertEquals(LEFT + PLOT_W / 4, mb.get(0)[0], 0.006);
        assertEquals(top + 199 * syb + (syb - dotB) / 2, mb.get(0)[1], 0.006);
        List<String> t = texts(d);
        assertTrue(t.contains("a (10)") && t.contains("b & <c> (200)") && t.contains("a note") && t.contains("time (ms)"), t.toString());
        assertTrue(t.contains("0") && t.contains("100"), "axis ticks from 0 to the span: " + t);
    }

    @Test
    void colouringByNeuronDrawsOneCircleAPerSpikeAndThinningSaysSo() throws Exception {
        int n = 95;
        double[] time = new double[n];
        int[] neuron = new int[n];
        for (int k = 0; k < n; k++) {
            time[k] = k * 0.01;
            neuron[k] = k % 7;
        }
        SpikeRasterPlot.Panel p = new SpikeRasterPlot.Panel("channels", 7, time, neuron, null);
        Document all = parse(SpikeRasterPlot.builder().title("t").timeAxis(1, "time (s)", 1)
                .colouring(SpikeRasterPlot.Colouring.BY_NEURON).neuronTicks(true).build().render(List.of(p)));
        assertEquals(n, all.getElementsByTagNameNS(SVG, "circle").getLength());
        List<String> t = texts(all);
        assertTrue(t.contains("t") && t.contains("channels (7)") && t.contains("6"), "title, label, last neuron tick: " + t);

        Document thin = parse(SpikeRasterPlot.builder().timeAxis(1, "time (s)", 1).maxDots(10)
                .colouring(SpikeRasterPlot.Colouring.BY_NEURON).build().render(List.of(p)));
        assertEquals(10, thin.getElementsByTagNameNS(SVG, "circle").getLength(), "every 10th of 95 spikes");
        assertTrue(texts(thin).contains("every 10th spike drawn"), texts(thin).toString());
    }

    @Test
    void aReportRasterKeepsItsStepsItsCapAndItsEmptyLayers() throws Exception {
        SpikeRaster capped = new SpikeRaster("hidden", 30, 50, 10, new int[]{2, 2}, new int[]{3, 4}, true);
        SpikeRaster empty = new SpikeRaster("out", 5, 50, 10, new int[0], new int[0], false);
        String svg = SpikeRasterPlot.builder().timeAxis(50, "time (ms)", 10).binWidth(1).build()
                .render(List.of(SpikeRasterPlot.Panel.of(capped), SpikeRasterPlot.Panel.of(empty)));
        Document d = parse(svg);
        List<String> t = texts(d);
        assertTrue(t.contains("recording capped at 2 spikes") && t.contains("no spikes"), t.toString());
        assertTrue(t.contains("500"), "steps labelled in ms (50 steps of 10 ms): " + t);
        List<double[]> m = marks((Element) d.getElementsByTagNameNS(SVG, "path").item(0));
        assertEquals(LEFT + 2 * PLOT_W / 50, m.get(0)[0], 0.006);
        assertTrue(svg.contains("h15v"), "a step wide: 750 px / 50 steps");
    }

    @Test
    void spikesOutsideTheirPanelAreRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new SpikeRasterPlot.Panel("x", 4, new double[]{1}, new int[]{4}, null));
        assertTrue(e.getMessage().contains("neuron 4 is outside 0..3"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> new SpikeRasterPlot.Panel("x", 4, new double[]{1, 2}, new int[]{1}, null));
        assertThrows(InvalidInputException.class, () -> SpikeRasterPlot.builder().timeAxis(0, "t", 1));
    }
}
