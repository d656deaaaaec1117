package io.myelin.examples.faults;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.myelin.core.data.SpikeDataset;
import io.myelin.core.data.hdf5.Hdf5Type;
import io.myelin.core.data.hdf5.Hdf5Writer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Valid HDF5 files with one value of the wrong type: what a file from another tool, or a hand-edited one, looks like.
 * Written with Myelin's own {@link Hdf5Writer}, so the structure is sound and only the type is wrong.
 */
public final class WrongTypes {
    private WrongTypes() {
    }

    /** An SHD-layout file with the contents of {@code ds}, one dataset of the wrong type or shape, or missing. */
    public static Mutation spikeFile(SpikeDataset ds, SplittableRandom r) {
        int n = ds.size();
        List<double[]> times = new ArrayList<>(), units = new ArrayList<>();
        double[] labels = new double[n], flatTimes;
        int total = 0;
        for (int i = 0; i < n; i++) {
            float[] t = ds.timesSeconds(i);
            int[] u = ds.units(i);
            double[] td = new double[t.length], ud = new double[u.length];
            for (int k = 0; k < t.length; k++) {
                td[k] = t[k];
                ud[k] = u[k];
            }
            times.add(td);
            units.add(ud);
            labels[i] = ds.label(i);
            total += t.length;
        }
        flatTimes = new double[total];
        int at = 0;
        for (double[] t : times) {
            System.arraycopy(t, 0, flatTimes, at, t.length);
            at += t.length;
        }
        String[] keys = ds.classNames().toArray(new String[0]);
        String[] labelText = new String[n];
        for (int i = 0; i < n; i++) {
            labelText[i] = Integer.toString((int) labels[i]);
        }
        int variant = r.nextInt(11);
        Hdf5Writer w = new Hdf5Writer();
        String detail = switch (variant) {
            case 0 -> {
                w.dataset("/spikes/times", Hdf5Type.FLOAT32, flatTimes);
                yield "/spikes/times a flat float32 array, not one sequence per sample";
            }
            case 1 -> {
                List<double[]> ms = new ArrayList<>();
                for (double[] t : times) {
                    double[] m = new double[t.length];
                    for (int k = 0; k < t.length; k++) {
                        m[k] = Math.round(t[k] * 1000);
                    }
                    ms.add(m);
                }
                w.vlen("/spikes/times", Hdf5Type.INT32, ms);
                yield "/spikes/times integer sequences (ms)";
            }
            case 2 -> {
                w.vlen("/spikes/times", Hdf5Type.FLOAT16, times).strings("/spikes/units", labelText);
                yield "/spikes/units strings";
            }
            case 3 -> {
                w.vlen("/spikes/times", Hdf5Type.FLOAT16, times).vlen("/spikes/units", Hdf5Type.FLOAT32, units);
                yield "/spikes/units float sequences";
            }
            case 4 -> {
                w.vlen("/spikes/times", Hdf5Type.FLOAT16, times).vlen("/spikes/units", Hdf5Type.UINT16, units)
                        .dataset("/labels", Hdf5Type.FLOAT64, labels);
                yield "/labels float64";
            }
            case 5 -> {
                w.vlen("/spikes/times", Hdf5Type.FLOAT16, times).vlen("/spikes/units", Hdf5Type.UINT16, units)
                        .strings("/labels", labelText);
                yield "/labels strings";
            }
            case 6 -> {
                w.vlen("/spikes/times", Hdf5Type.FLOAT16, times).vlen("/spikes/units", Hdf5Type.UINT16, units)
                        .dataset("/labels", Hdf5Type.UINT16, new long[]{n, 1}, labels);
                yield "/labels of shape [n, 1]";
            }
            case 7 -> {
                w.vlen("/spikes/times", Hdf5Type.FLOAT16, times).vlen("/spikes/units", Hdf5Type.UINT16, units)
                        .dataset("/labels", Hdf5Type.UINT16, labels).dataset("/extra/keys", Hdf5Type.INT32,
                                new double[keys.length]);
                yield "/extra/keys numbers";
            }
            case 8 -> {
                w.vlen("/spikes/times", Hdf5Type.FLOAT16, times).vlen("/spikes/units", Hdf5Type.UINT16, units)
                        .dataset("/labels", Hdf5Type.UINT16, labels).dataset("/extra/speaker", Hdf5Type.FLOAT32, labels);
                yield "/extra/speaker float32";
            }
            case 9 -> {
                w.vlen("/spikes/times", Hdf5Type.FLOAT16, times).vlen("/spikes/units", Hdf5Type.UINT16, units)
                        .dataset("/labels", Hdf5Type.UINT16, labels).string("/extra/channels", "seven hundred");
                yield "/extra/channels a string";
            }
            default -> {
                w.vlen("/spikes/times", Hdf5Type.FLOAT16, times).vlen("/spikes/units", Hdf5Type.UINT16, units);
                yield "/labels missing";
            }
        };
        if (variant <= 3) {
            if (variant <= 1) {
                w.vlen("/spikes/units", Hdf5Type.UINT16, units);
            }
            w.dataset("/labels", Hdf5Type.UINT16, labels);
        }
        if (variant != 7 && variant != 10) {
            w.strings("/extra/keys", keys);
        }
        return new Mutation(Mutation.WRONG_TYPE, detail, bytes(w));
    }

    /** Any HDF5 file (a NIR graph) rewritten with one dataset changed in type or shape. */
    public static Mutation anyFile(Path file, SplittableRandom r) {
        List<Entry> entries = new ArrayList<>();
        try (HdfFile h5 = new HdfFile(file)) {
            collect(h5, entries);
        }
        List<Integer> datasets = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).kind != Kind.GROUP) {
                datasets.add(i);
            }
        }
        int victim = datasets.get(r.nextInt(datasets.size()));
        int how = r.nextInt(4);
        Hdf5Writer w = new Hdf5Writer();
        String detail = null;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (i != victim) {
                e.writeTo(w);
                continue;
            }
            if (e.kind == Kind.NUMBERS) {
                switch (how) {
                    case 0 -> {
                        w.string(e.path, "wrong");
                        detail = e.path + " a string instead of numbers";
                    }
                    case 1 -> {
                        long[] shape = java.util.Arrays.copyOf(e.shape, e.shape.length + 1);
                        shape[e.shape.length] = 1;
                        w.dataset(e.path, e.type, shape, e.numbers);
                        detail = e.path + " with an extra dimension";
                    }
                    case 2 -> {
                        w.dataset(e.path, e.type, new long[]{0}, new double[0]);
                        detail = e.path + " empty";
                    }
                    default -> {
                        double[] v = e.numbers.clone();
                        if (e.type != Hdf5Type.INT64) {
                            for (int k = 0; k < v.length; k++) {
                                v[k] = Double.isFinite(v[k]) ? Math.rint(v[k]) : 0;
                            }
                        }
                        w.dataset(e.path, e.type == Hdf5Type.INT64 ? Hdf5Type.FLOAT64 : Hdf5Type.INT64, e.shape, v);
                        detail = e.path + " of another number type";
                    }
                }
            } else {
                if (how % 2 == 0) {
                    w.dataset(e.path, Hdf5Type.FLOAT64, new long[0], new double[]{1});
                    detail = e.path + " a number instead of text";
                } else {
                    w.vlenStrings(e.path, new long[]{2}, new String[]{"a", "b"});
                    detail = e.path + " two strings instead of " + (e.shape.length == 0 ? "one" : "its own");
                }
            }
        }
        return new Mutation(Mutation.WRONG_TYPE, detail, bytes(w));
    }

    private static byte[] bytes(Hdf5Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private enum Kind { GROUP, NUMBERS, STRINGS }

    /** One node of a file, as the writer needs it. */
    private record Entry(String path, Kind kind, Hdf5Type type, long[] shape, double[] numbers, String[] strings) {
        void writeTo(Hdf5Writer w) {
            switch (kind) {
                case GROUP -> w.group(path);
                case NUMBERS -> w.dataset(path, type, shape, numbers);
                default -> {
                    if (shape.length == 0) {
                        w.string(path, strings[0]);
                    } else {
                        w.vlenStrings(path, shape, strings);
                    }
                }
            }
        }
    }

    private static void collect(Group g, List<Entry> out) {
        for (Node n : g.getChildren().values()) {
            if (n instanceof Group sub) {
                out.add(new Entry(sub.getPath().replaceAll("/$", ""), Kind.GROUP, null, null, null, null));
                collect(sub, out);
            } else if (n instanceof Dataset d) {
                String path = d.getPath().replaceAll("/$", "");
                long[] shape = d.isScalar() ? new long[0] : java.util.Arrays.stream(d.getDimensions()).asLongStream().toArray();
                Object raw = d.isScalar() ? d.getData() : d.getDataFlat();
                if (d.getDataType() instanceof FloatingPoint || d.getDataType() instanceof FixedPoint) {
                    Hdf5Type t = d.getDataType() instanceof FixedPoint ? Hdf5Type.INT64
                            : d.getDataType().getSize() == 4 ? Hdf5Type.FLOAT32 : Hdf5Type.FLOAT64;
                    out.add(new Entry(path, Kind.NUMBERS, t, shape, doubles(raw), null));
                } else {
                    String[] s = raw instanceof String str ? new String[]{str} : strings(raw);
                    out.add(new Entry(path, Kind.STRINGS, null, shape, null, s));
                }
            }
        }
    }

    private static double[] doubles(Object raw) {
        if (raw instanceof Number n) {
            return new double[]{n.doubleValue()};
        }
        int len = Array.getLength(raw);
        double[] d = new double[len];
        for (int i = 0; i < len; i++) {
            Object v = Array.get(raw, i);
            d[i] = v instanceof Number num ? num.doubleValue() : v instanceof Boolean b && b ? 1 : 0;
        }
        return d;
    }

    private static String[] strings(Object raw) {
        int len = Array.getLength(raw);
        String[] s = new String[len];
        for (int i = 0; i < len; i++) {
            s[i] = String.valueOf(Array.get(raw, i));
        }
        return s;
    }
}
