package io.myelin.nir.report;

import io.myelin.core.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One single-neuron trace: membrane voltage and spikes per step, in the simulator's own units (the NIR paper's
 * peer traces are CSV rows {@code input, voltage, spike}).
 */
public record NeuronTrace(String name, double[] voltage, boolean[] spikes) {

    /** Reads a peer CSV (three comma-separated columns per step: input, voltage, spike). */
    public static NeuronTrace readCsv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        List<double[]> rows = new ArrayList<>();
        for (String l : lines) {
            if (l.isBlank()) {
                continue;
            }
            String[] p = l.split(",");
            if (p.length < 3) {
                throw new InvalidInputException(file + ": expected 3 columns (input, voltage, spike), found: " + l);
            }
            try {
                rows.add(new double[] {Double.parseDouble(p[1].trim()), Double.parseDouble(p[2].trim())});
            } catch (NumberFormatException e) {
                throw new InvalidInputException(file + ": not a number in: " + l);
            }
        }
        double[] v = new double[rows.size()];
        boolean[] s = new boolean[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rows.get(i)[0];
            s[i] = rows.get(i)[1] != 0;
        }
        String n = file.getFileName().toString().replaceFirst("\\.csv$", "").replaceFirst("^lif_", "");
        return new NeuronTrace(n, v, s);
    }

    /** Steps at which the neuron spiked. */
    public int[] spikeSteps() {
        return java.util.stream.IntStream.range(0, spikes.length).filter(i -> spikes[i]).toArray();
    }

    /** Voltage divided by its largest absolute value (peers use different units: this puts them on one axis). */
    public double[] normalized() {
        double m = 0;
        for (double x : voltage) {
            m = Math.max(m, Math.abs(x));
        }
        double[] out = new double[voltage.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = m == 0 ? 0 : voltage[i] / m;
        }
        return out;
    }
}
