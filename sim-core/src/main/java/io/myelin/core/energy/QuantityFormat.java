package io.myelin.core.energy;

import java.util.Locale;

/**
 * Numbers written for people, as reports and summaries print them: counts with thousands separators, 3 significant
 * digits, energies with a unit prefix (pJ to J), sizes in bit / KiB / MiB, fractions as percentages. Always in the
 * ROOT locale, so a report reads the same on every machine.
 */
public final class QuantityFormat {
    private QuantityFormat() {
    }

    /** An integer count with thousands separators (12,345). */
    public static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** 3 significant digits (1,234 with separators up to a million), scientific outside 1e-3..1e6 (1.5e7). */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1e6 || a < 1e-3) {
            String s = String.format(Locale.ROOT, "%.2e", v);
            int e = s.indexOf('e');
            String mant = trimZeros(s.substring(0, e));
            int exp = Integer.parseInt(s.substring(e + 1));
            return mant + "e" + exp;
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return trimZeros(String.format(Locale.ROOT, "%.3g", v));
    }

    private static String trimZeros(String s) {
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    /** Energy with a unit prefix: 950 pJ, 1.23 nJ, 4.5 µJ, 7.8 mJ, 1.2 J. */
    public static String energy(double pj) {
        double a = Math.abs(pj);
        if (a < 1e3) {
            return num(pj) + " pJ";
        }
        if (a < 1e6) {
            return num(pj / 1e3) + " nJ";
        }
        if (a < 1e9) {
            return num(pj / 1e6) + " µJ";
        }
        if (a < 1e12) {
            return num(pj / 1e9) + " mJ";
        }
        return num(pj / 1e12) + " J";
    }

    /** Bits as b / KiB / MiB. */
    public static String bits(long bits) {
        double bytes = bits / 8.0;
        if (bytes < 1024) {
            return count(bits) + " bit";
        }
        if (bytes < 1024 * 1024) {
            return num(bytes / 1024) + " KiB";
        }
        return num(bytes / (1024 * 1024)) + " MiB";
    }

    /** A fraction as a percentage with 2 decimals. */
    public static String percent(double f) {
        return String.format(Locale.ROOT, "%.2f %%", 100 * f);
    }
}
