package io.myelin.examples.cli;

import io.myelin.core.data.BinnedBatch;
import io.myelin.core.data.FrameBinner;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code myelin bench data FILE}: load time (first load in this JVM and repeated loads), memory per spike, and the
 * cost of binning one epoch (SHD binning: 10 ms frames, pool 5) into batches, sparse and dense.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Benchmark loading and binning an SHD-format file; prints one JSON line.")
public final class DataBenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "SHD/SSC-format HDF5 file")
    Path file;

    @Option(names = "--repeats", defaultValue = "5", description = "timed repeats (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--batch", defaultValue = "256", description = "batch size for binning (default: ${DEFAULT-VALUE})")
    int batch;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long t0 = System.nanoTime();
        Hdf5SpikeDataset ds = Hdf5SpikeDataset.open(file);
        double firstLoadMs = (System.nanoTime() - t0) / 1e6;
        double sinceJvmStartMs = System.currentTimeMillis() - jvmStart;
        long heapWithData = usedHeapAfterGc();
        double[] reload = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long s = System.nanoTime();
            Hdf5SpikeDataset.open(file);
            reload[r] = (System.nanoTime() - s) / 1e6;
        }
        Hdf5SpikeDataset keep = ds;
        ds = null;
        int samples = keep.size();
        FrameBinner binner = new FrameBinner(10, 5, 0);
        double[] sparseMs = new double[repeats];
        double[] denseMs = new double[repeats];
        long events = 0;
        for (int r = 0; r < repeats; r++) {
            int[] order = keep.shuffledOrder(r);
            long s = System.nanoTime();
            long e = 0;
            for (int from = 0; from < order.length; from += batch) {
                BinnedBatch b = BinnedBatch.of(keep, Arrays.copyOfRange(order, from, Math.min(order.length,
                        from + batch)), binner);
                e += b.events();
            }
            sparseMs[r] = (System.nanoTime() - s) / 1e6;
            events = e;
            s = System.nanoTime();
            double checksum = 0;
            for (int from = 0; from < order.length; from += batch) {
                BinnedBatch b = BinnedBatch.of(keep, Arrays.copyOfRange(order, from, Math.min(order.length,
                        from + batch)), binner);
                checksum += b.dense()[0];
            }
            denseMs[r] = (System.nanoTime() - s) / 1e6 + (checksum < 0 ? 1 : 0);
        }
        long spikes = keep.totalSpikes();
        long modelBytes = keep.memoryBytes();
        keep = null;
        long heapEmpty = usedHeapAfterGc();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bench", "data");
        m.put("file", file.toString());
        m.put("samples", samples);
        m.put("spikes", spikes);
        m.put("first_load_ms", round(firstLoadMs));
        m.put("ms_since_jvm_start_after_first_load", round(sinceJvmStartMs));
        m.put("reload_ms_median", round(median(reload)));
        m.put("load_spikes_per_s_warm", Math.round(spikes / (median(reload) / 1e3)));
        m.put("bytes_per_spike_arrays", modelBytes / (double) spikes);
        m.put("heap_bytes_per_spike_measured", round((heapWithData - heapEmpty) / (double) spikes));
        m.put("bin_epoch_sparse_ms_median", round(median(sparseMs)));
        m.put("bin_epoch_dense_ms_median", round(median(denseMs)));
        m.put("binned_events", events);
        m.put("batch", batch);
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        spec.commandLine().getOut().println(Json.compact().writeValueAsString(m));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
