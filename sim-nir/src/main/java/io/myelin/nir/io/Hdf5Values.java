package io.myelin.nir.io;

import io.jhdf.api.Dataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.StringData;
import io.jhdf.object.datatype.VariableLength;
import io.myelin.core.InvalidInputException;
import io.myelin.core.MemoryBudget;
import io.myelin.nir.graph.Tensor;

import java.lang.reflect.Array;

/**
 * Turns jHDF datasets into what NIR parameters are: numbers (any integer or float width, scalar or array, compact,
 * contiguous or gzip-chunked) into {@link Tensor}s, and strings (variable- or fixed-length, null- or space-padded)
 * into Java strings.
 */
final class Hdf5Values {
    private Hdf5Values() {
    }

    static boolean isString(Dataset d) {
        DataType t = d.getDataType();
        return t instanceof StringData || (t instanceof VariableLength v && v.isVariableLengthString());
    }

    static boolean isNumeric(Dataset d) {
        DataType t = d.getDataType();
        return t instanceof FloatingPoint || t instanceof FixedPoint;
    }

    /**
     * Refuses a dataset whose declared size its file cannot hold (uncompressed data must be stored in the file) or
     * that would exceed the {@link MemoryBudget} as doubles, before jHDF allocates anything for it.
     */
    static void checkSize(Dataset d, long fileBytes, String what) {
        long n = d.getSize();
        if (n > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException(what + " declares " + n + " elements, more than an array holds");
        }
        if (d.getFilters().isEmpty() && !d.isVariableLength()) {
            MemoryBudget.checkInFile(MemoryBudget.times(n, d.getDataType().getSize()), fileBytes, what);
        }
        MemoryBudget.check(MemoryBudget.times(n, 8), what + " (" + n + " values)");
    }

    /** The dataset's numbers; {@code what} names it in errors. */
    static Tensor tensor(Dataset d, String what) {
        if (!isNumeric(d)) {
            throw new InvalidInputException(what + " must be numeric, found " + describe(d));
        }
        int[] shape = d.isScalar() ? new int[0] : d.getDimensions();
        Object raw = d.isScalar() ? d.getData() : d.getDataFlat();
        double[] values = toDoubles(raw, what);
        boolean single = d.getDataType() instanceof FloatingPoint && d.getDataType().getSize() == 4;
        if (Tensor.count(shape) != values.length) {
            throw new InvalidInputException(what + ": shape and data disagree (corrupt dataset?)");
        }
        return new Tensor(shape, values, single);
    }

    private static double[] toDoubles(Object raw, String what) {
        if (raw instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        if (raw instanceof double[] a) {
            return a;
        }
        if (raw != null && raw.getClass().isArray()) {
            int n = Array.getLength(raw);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                Object v = Array.get(raw, i);
                if (v instanceof Number num) {
                    out[i] = num.doubleValue();
                } else if (v instanceof Boolean b) {
                    out[i] = b ? 1 : 0;
                } else {
                    throw new InvalidInputException(what + " holds non-numeric values");
                }
            }
            return out;
        }
        throw new InvalidInputException(what + " holds no numbers");
    }

    /** A scalar (or one-element) string dataset's value, padding removed. */
    static String string(Dataset d, String what) {
        if (!isString(d)) {
            throw new InvalidInputException(what + " must be a string, found " + describe(d));
        }
        Object raw = d.isScalar() ? d.getData() : d.getDataFlat();
        String s;
        if (raw instanceof String str) {
            s = str;
        } else if (raw instanceof String[] arr && arr.length == 1) {
            s = arr[0];
        } else {
            throw new InvalidInputException(what + " must be a single string, found " + Array.getLength(raw) + " values");
        }
        return unpad(s);
    }

    /** All strings of a string dataset in row-major order, with its shape in {@code shapeOut[0]}. */
    static String[] strings(Dataset d, String what, int[][] shapeOut) {
        if (!isString(d)) {
            throw new InvalidInputException(what + " must hold strings, found " + describe(d));
        }
        shapeOut[0] = d.isScalar() ? new int[0] : d.getDimensions();
        Object raw = d.isScalar() ? new String[] {(String) d.getData()} : d.getDataFlat();
        if (!(raw instanceof Object[] arr)) {
            throw new InvalidInputException(what + " holds no strings");
        }
        String[] out = new String[arr.length];
        for (int i = 0; i < arr.length; i++) {
            out[i] = unpad(String.valueOf(arr[i]));
        }
        return out;
    }

    /** Removes the null or space padding of fixed-length strings (and a null terminator's leftovers). */
    static String unpad(String s) {
        int end = s.length();
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            end = nul;
        }
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    static String describe(Dataset d) {
        DataType t = d.getDataType();
        String kind = t instanceof FloatingPoint ? "float" + 8 * t.getSize()
                : t instanceof FixedPoint f ? (f.isSigned() ? "int" : "uint") + 8 * t.getSize()
                : isString(d) ? "string" : t.getClass().getSimpleName();
        return kind + " " + (d.isScalar() ? "scalar" : java.util.Arrays.toString(d.getDimensions()));
    }
}
