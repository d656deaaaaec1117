package io.myelin.nir.io;

import io.myelin.core.data.hdf5.Hdf5Type;
import io.myelin.core.data.hdf5.Hdf5Writer;
import io.myelin.models.store.AtomicFiles;
import io.myelin.nir.graph.Affine;
import io.myelin.nir.graph.Conv;
import io.myelin.nir.graph.CubaLi;
import io.myelin.nir.graph.CubaLif;
import io.myelin.nir.graph.Delay;
import io.myelin.nir.graph.Flatten;
import io.myelin.nir.graph.Input;
import io.myelin.nir.graph.IntegrateAndFire;
import io.myelin.nir.graph.Integrator;
import io.myelin.nir.graph.LeakyIntegrator;
import io.myelin.nir.graph.Lif;
import io.myelin.nir.graph.Linear;
import io.myelin.nir.graph.NirEdge;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.graph.NirNode;
import io.myelin.nir.graph.Output;
import io.myelin.nir.graph.Pool;
import io.myelin.nir.graph.Scale;
import io.myelin.nir.graph.Tensor;
import io.myelin.nir.graph.Threshold;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link NirGraph} in the layout the reference library's {@code nir.write} produces and {@code nir.read}
 * accepts: {@code /version} and every {@code type} a variable-length UTF-8 string, one dataset per constructor
 * argument of the node's class (nothing else, since {@code nir.read} passes every dataset to the constructor),
 * tensors as float32 or float64 as they were read or built, integers as int64, {@code edges} an {@code E x 2} array
 * of variable-length strings, graph metadata in {@code metadata}. Datasets are contiguous (the reader does not
 * care). The file appears atomically.
 */
public final class NirWriter {
    private final Hdf5Writer h5 = new Hdf5Writer();

    private NirWriter() {
    }

    public static void write(NirGraph graph, Path file) throws IOException {
        NirWriter w = new NirWriter();
        w.h5.string("/version", NirGraph.VERSION);
        w.graph("/node", graph);
        AtomicFiles.write(file, w.h5::write);
    }

    private void graph(String path, NirGraph g) {
        h5.string(path + "/type", "NIRGraph");
        h5.group(path + "/nodes");
        for (Map.Entry<String, NirNode> e : g.nodes().entrySet()) {
            node(path + "/nodes/" + e.getKey(), e.getValue());
        }
        List<NirEdge> edges = g.edges();
        String[] ends = new String[2 * edges.size()];
        for (int i = 0; i < edges.size(); i++) {
            ends[2 * i] = edges.get(i).source();
            ends[2 * i + 1] = edges.get(i).target();
        }
        h5.vlenStrings(path + "/edges", new long[] {edges.size(), 2}, ends);
        if (!g.metadata().isEmpty()) {
            for (Map.Entry<String, Object> m : g.metadata().entrySet()) {
                String p = path + "/metadata/" + m.getKey();
                Object v = m.getValue();
                if (v instanceof Tensor t) {
                    tensor(p, t);
                } else if (v instanceof Long || v instanceof Integer) {
                    h5.dataset(p, Hdf5Type.INT64, new long[0], new double[] {((Number) v).doubleValue()});
                } else if (v instanceof Number n) {
                    h5.dataset(p, Hdf5Type.FLOAT64, new long[0], new double[] {n.doubleValue()});
                } else {
                    h5.string(p, String.valueOf(v));
                }
            }
        }
    }

    private void node(String p, NirNode n) {
        if (n instanceof NirGraph g) {
            graph(p, g);
            return;
        }
        h5.string(p + "/type", n.type());
        if (n instanceof Input i) {
            ints(p + "/shape", i.shape());
        } else if (n instanceof Output o) {
            ints(p + "/shape", o.shape());
        } else if (n instanceof Affine a) {
            tensor(p + "/weight", a.weight());
            tensor(p + "/bias", a.bias());
        } else if (n instanceof Linear l) {
            tensor(p + "/weight", l.weight());
        } else if (n instanceof Scale s) {
            tensor(p + "/scale", s.scale());
        } else if (n instanceof Threshold t) {
            tensor(p + "/threshold", t.threshold());
        } else if (n instanceof Delay d) {
            tensor(p + "/delay", d.delay());
        } else if (n instanceof Conv c) {
            conv(p, c);
        } else if (n instanceof Pool pool) {
            ints(p + "/kernel_size", pool.kernel());
            ints(p + "/stride", pool.stride());
            ints(p + "/padding", pool.padding());
        } else if (n instanceof Flatten f) {
            scalarInt(p + "/start_dim", f.startDim());
            scalarInt(p + "/end_dim", f.endDim());
            if (f.inputShape() != null) {
                ints(p + "/input_type", f.inputShape());
            }
        } else if (n instanceof Integrator i) {
            tensor(p + "/r", i.r());
        } else if (n instanceof IntegrateAndFire f) {
            tensor(p + "/r", f.r());
            tensor(p + "/v_threshold", f.vThreshold());
            tensor(p + "/v_reset", f.vReset());
        } else if (n instanceof LeakyIntegrator l) {
            tensor(p + "/tau", l.tau());
            tensor(p + "/r", l.r());
            tensor(p + "/v_leak", l.vLeak());
        } else if (n instanceof Lif l) {
            tensor(p + "/tau", l.tau());
            tensor(p + "/r", l.r());
            tensor(p + "/v_leak", l.vLeak());
            tensor(p + "/v_threshold", l.vThreshold());
            tensor(p + "/v_reset", l.vReset());
        } else if (n instanceof CubaLi c) {
            tensor(p + "/tau_syn", c.tauSyn());
            tensor(p + "/tau_mem", c.tauMem());
            tensor(p + "/r", c.r());
            tensor(p + "/v_leak", c.vLeak());
            tensor(p + "/w_in", c.wIn());
        } else if (n instanceof CubaLif c) {
            tensor(p + "/tau_syn", c.tauSyn());
            tensor(p + "/tau_mem", c.tauMem());
            tensor(p + "/r", c.r());
            tensor(p + "/v_leak", c.vLeak());
            tensor(p + "/v_threshold", c.vThreshold());
            tensor(p + "/v_reset", c.vReset());
            tensor(p + "/w_in", c.wIn());
        } else {
            throw new IllegalStateException("no writer for " + n.type());
        }
    }

    /** NIR's Conv1d takes scalar stride, dilation and input_shape; Conv2d pairs. */
    private void conv(String p, Conv c) {
        tensor(p + "/weight", c.weight());
        tensor(p + "/bias", c.bias());
        if (c.dims() == 1) {
            scalarInt(p + "/stride", c.stride()[0]);
            scalarInt(p + "/dilation", c.dilation()[0]);
        } else {
            ints(p + "/stride", c.stride());
            ints(p + "/dilation", c.dilation());
        }
        if (c.padding().name() != null) {
            h5.string(p + "/padding", c.padding().name());
        } else if (c.dims() == 1) {
            scalarInt(p + "/padding", c.padding().sizes()[0]);
        } else {
            ints(p + "/padding", c.padding().sizes());
        }
        scalarInt(p + "/groups", c.groups());
        if (c.inputShape() != null) {
            if (c.dims() == 1) {
                scalarInt(p + "/input_shape", c.inputShape()[0]);
            } else {
                ints(p + "/input_shape", c.inputShape());
            }
        }
    }

    private void tensor(String path, Tensor t) {
        long[] shape = new long[t.rank()];
        for (int k = 0; k < shape.length; k++) {
            shape[k] = t.dim(k);
        }
        h5.dataset(path, t.single() ? Hdf5Type.FLOAT32 : Hdf5Type.FLOAT64, shape, t.data());
    }

    private void ints(String path, int[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        h5.dataset(path, Hdf5Type.INT64, new long[] {values.length}, d);
    }

    private void scalarInt(String path, int value) {
        h5.dataset(path, Hdf5Type.INT64, new long[0], new double[] {value});
    }
}
