package io.myelin.nir.io;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.myelin.core.InvalidInputException;
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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code .nir} file (HDF5, the layout of the reference library's {@code nir.write}): {@code /version},
 * {@code /node} with {@code type = "NIRGraph"}, {@code nodes/<key>/} holding {@code type} and one dataset per
 * parameter, {@code edges} ({@code E x 2} strings) and an optional {@code metadata} group. Every primitive of NIR
 * 1.0 is read; arrays may be float32 or float64 (gzip-chunked or not), integer parameters scalars or arrays,
 * {@code padding} a string, strings variable- or fixed-length. Parameters a file omits that NIR defaults
 * ({@code v_reset} = 0, {@code w_in} = 1) take the default. The graph is then {@link NirGraph#check() checked}.
 * Every problem is one {@link InvalidInputException} that names the file and the node.
 */
public final class NirReader {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private final Path file;
    /** Length of the file: data a dataset declares must fit in it. */
    private long fileBytes;

    private NirReader(Path file) {
        this.file = file;
    }

    /** Reads and checks the graph in {@code file}. */
    public static NirGraph read(Path file) {
        return new NirReader(file).read();
    }

    /** The {@code /version} string of a NIR file ("" when absent). */
    public static String version(Path file) {
        NirReader r = new NirReader(file);
        long size = r.checkFile();
        try (HdfFile h5 = r.open(size)) {
            Node v = h5.getChild("version");
            if (v instanceof Dataset d && Hdf5Values.isString(d)) {
                Hdf5Values.checkSize(d, size, "/version");
                return Hdf5Values.string(d, "/version");
            }
            return "";
        } catch (InvalidInputException e) {
            throw e.getMessage().startsWith(file.toString()) ? e : r.fail(e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            throw r.fail("cannot read the HDF5 data (corrupt or truncated file?): " + message(e));
        }
    }

    private NirGraph read() {
        long size = checkFile();
        fileBytes = size;
        NirGraph g;
        try (HdfFile h5 = open(size)) {
            try {
                Node root = h5.getChild("node");
                if (!(root instanceof Group rg)) {
                    throw fail("no /node group: not a NIR graph file");
                }
                g = readGraph(rg, "");
            } catch (InvalidInputException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                throw fail("cannot read the HDF5 data (corrupt or truncated file?): " + message(e));
            }
        }
        try {
            g.check();
        } catch (InvalidInputException e) {
            throw fail(e.getMessage());
        }
        return g;
    }

    private long checkFile() {
        if (!Files.isRegularFile(file)) {
            throw fail(Files.exists(file) ? "not a regular file" : "file not found");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer b = ByteBuffer.allocate(SIGNATURE.length);
            ch.read(b, 0);
            if (size < SIGNATURE.length || !Arrays.equals(b.array(), SIGNATURE)) {
                throw fail("not an HDF5 file (no HDF5 signature; " + size + " bytes)");
            }
            return size;
        } catch (IOException e) {
            throw fail("cannot read: " + e.getMessage());
        }
    }

    private HdfFile open(long size) {
        HdfFile h5;
        try {
            h5 = new HdfFile(file);
        } catch (RuntimeException | StackOverflowError e) {
            throw fail("cannot read the HDF5 structure (corrupt or truncated file?): " + message(e));
        }
        long declared = h5.getHdfBackingStorage().getSuperblock().getEndOfFileAddress() + h5.getUserBlockSize();
        if (size < declared) {
            h5.close();
            throw fail("truncated file: it has " + size + " bytes but its HDF5 superblock declares " + declared);
        }
        return h5;
    }

    private NirGraph readGraph(Group g, String path) {
        String where = path.isEmpty() ? "graph" : "nested graph '" + path + "'";
        Node nodesNode = g.getChild("nodes");
        if (!(nodesNode instanceof Group nodesGroup)) {
            throw fail(where + ": no 'nodes' group");
        }
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : nodesGroup.getChildren().entrySet()) {
            String key = e.getKey();
            String full = path.isEmpty() ? key : path + "." + key;
            if (!(e.getValue() instanceof Group ng)) {
                throw fail("node '" + full + "' is a dataset, not a group");
            }
            nodes.put(key, readNode(ng, full));
        }
        List<NirEdge> edges = new ArrayList<>();
        Node edgesNode = g.getChild("edges");
        if (edgesNode instanceof Dataset ed) {
            int[][] shape = new int[1][];
            String[] ends;
            try {
                Hdf5Values.checkSize(ed, fileBytes, where + ": 'edges'");
                ends = ed.isEmpty() ? new String[0] : Hdf5Values.strings(ed, where + ": 'edges'", shape);
            } catch (InvalidInputException ex) {
                throw fail(ex.getMessage());
            }
            if (ends.length > 0 && (shape[0].length != 2 || shape[0][1] != 2)) {
                throw fail(where + ": 'edges' must have shape [E, 2], found " + Arrays.toString(shape[0]));
            }
            for (int i = 0; i + 1 < ends.length; i += 2) {
                edges.add(new NirEdge(ends[i], ends[i + 1]));
            }
        } else if (edgesNode != null) {
            throw fail(where + ": 'edges' must be a dataset");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (g.getChild("metadata") instanceof Group mg) {
            for (Map.Entry<String, Node> e : mg.getChildren().entrySet()) {
                if (e.getValue() instanceof Dataset d) {
                    Hdf5Values.checkSize(d, fileBytes, "metadata '" + e.getKey() + "'");
                    metadata.put(e.getKey(), metadataValue(d));
                }
            }
        }
        try {
            return new NirGraph(nodes, edges, metadata);
        } catch (InvalidInputException ex) {
            throw fail(ex.getMessage());
        }
    }

    private static Object metadataValue(Dataset d) {
        if (Hdf5Values.isString(d)) {
            int[][] shape = new int[1][];
            String[] s = Hdf5Values.strings(d, "metadata", shape);
            return s.length == 1 ? s[0] : String.join(",", s);
        }
        if (Hdf5Values.isNumeric(d)) {
            Tensor t = Hdf5Values.tensor(d, "metadata");
            if (t.size() == 1 && t.rank() == 0) {
                return t.get(0);
            }
            return t;
        }
        return Hdf5Values.describe(d);
    }

    private NirNode readNode(Group g, String key) {
        Params p = new Params(g, key, fileBytes);
        try {
            String type = p.typeName();
            return switch (type) {
                case "Input" -> new Input(p.ints("shape"));
                case "Output" -> new Output(p.ints("shape"));
                case "Affine" -> new Affine(p.tensor("weight"), p.tensor("bias"));
                case "Linear" -> new Linear(p.tensor("weight"));
                case "Scale" -> new Scale(p.tensor("scale"));
                case "Threshold" -> new Threshold(p.tensor("threshold"));
                case "Delay" -> new Delay(p.tensor("delay"));
                case "Conv1d", "Conv2d" -> conv(p, type.equals("Conv1d") ? 1 : 2);
                case "SumPool2d", "AvgPool2d" -> new Pool(type.equals("AvgPool2d"), p.ints("kernel_size"),
                        p.ints("stride"), p.ints("padding"));
                case "Flatten" -> new Flatten(p.has("start_dim") ? p.ints("start_dim")[0] : 1,
                        p.has("end_dim") ? p.ints("end_dim")[0] : -1, p.optionalInts("input_type"));
                case "I" -> new Integrator(p.tensor("r"));
                case "IF" -> new IntegrateAndFire(p.tensor("r"), p.tensor("v_threshold"),
                        p.orFill("v_reset", p.tensor("v_threshold"), 0));
                case "LI" -> new LeakyIntegrator(p.tensor("tau"), p.tensor("r"), p.tensor("v_leak"));
                case "LIF" -> new Lif(p.tensor("tau"), p.tensor("r"), p.tensor("v_leak"), p.tensor("v_threshold"),
                        p.orFill("v_reset", p.tensor("v_threshold"), 0));
                case "CubaLI" -> new CubaLi(p.tensor("tau_syn"), p.tensor("tau_mem"), p.tensor("r"),
                        p.tensor("v_leak"), p.orFill("w_in", p.tensor("v_leak"), 1));
                case "CubaLIF" -> new CubaLif(p.tensor("tau_syn"), p.tensor("tau_mem"), p.tensor("r"),
                        p.tensor("v_leak"), p.tensor("v_threshold"), p.orFill("v_reset", p.tensor("v_threshold"), 0),
                        p.orFill("w_in", p.tensor("v_threshold"), 1));
                case "NIRGraph" -> readGraph(g, key);
                default -> throw new InvalidInputException("unknown NIR type '" + type + "' (known: Input, Output, "
                        + "Affine, Linear, Scale, Conv1d, Conv2d, SumPool2d, AvgPool2d, Flatten, Delay, Threshold, I, "
                        + "IF, LI, LIF, CubaLI, CubaLIF, NIRGraph)");
            };
        } catch (InvalidInputException e) {
            if (e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw fail("node '" + key + "': " + e.getMessage());
        }
    }

    private static Conv conv(Params p, int dims) {
        Conv.Padding padding = p.isString("padding") ? Conv.Padding.named(p.string("padding"))
                : Conv.Padding.of(p.ints("padding"));
        int[] inputShape = p.optionalInts("input_shape");
        return new Conv(dims, p.tensor("weight"), p.ints("stride"), padding, p.ints("dilation"), p.ints("groups")[0],
                p.tensor("bias"), inputShape);
    }

    /** The datasets of one node group. */
    private static final class Params {
        private final Group g;
        private final String key;
        private final long fileBytes;

        Params(Group g, String key, long fileBytes) {
            this.g = g;
            this.key = key;
            this.fileBytes = fileBytes;
        }

        String typeName() {
            Node t = g.getChild("type");
            if (!(t instanceof Dataset d)) {
                throw new InvalidInputException("no 'type' dataset");
            }
            Hdf5Values.checkSize(d, fileBytes, "'type'");
            return Hdf5Values.string(d, "'type'");
        }

        boolean has(String name) {
            return g.getChild(name) instanceof Dataset;
        }

        private Dataset dataset(String name) {
            Node n = g.getChild(name);
            if (n == null) {
                throw new InvalidInputException("parameter '" + name + "' is missing");
            }
            if (!(n instanceof Dataset d)) {
                throw new InvalidInputException("parameter '" + name + "' is a group, not a dataset");
            }
            Hdf5Values.checkSize(d, fileBytes, "parameter '" + name + "'");
            return d;
        }

        Tensor tensor(String name) {
            return Hdf5Values.tensor(dataset(name), "parameter '" + name + "'");
        }

        int[] ints(String name) {
            return tensor(name).integers("parameter '" + name + "'");
        }

        /** Integers, or null when the dataset is absent or holds no number (a writer's None). */
        int[] optionalInts(String name) {
            if (!has(name)) {
                return null;
            }
            Dataset d = dataset(name);
            if (!Hdf5Values.isNumeric(d) || d.isEmpty()) {
                return null;
            }
            return ints(name);
        }

        boolean isString(String name) {
            return has(name) && Hdf5Values.isString(dataset(name));
        }

        String string(String name) {
            return Hdf5Values.string(dataset(name), "parameter '" + name + "'");
        }

        /** The parameter, or {@code value} everywhere in {@code like}'s shape when the file omits it. */
        Tensor orFill(String name, Tensor like, double value) {
            return has(name) ? tensor(name) : Tensor.filled(like.shape(), value);
        }
    }

    private InvalidInputException fail(String message) {
        return new InvalidInputException(file + ": " + message);
    }

    private static String message(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m;
    }
}
