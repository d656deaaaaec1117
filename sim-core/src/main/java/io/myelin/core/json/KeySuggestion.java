package io.myelin.core.json;

import java.util.Collection;
import java.util.Locale;

/**
 * The valid key a mistyped one was most likely meant to be: the closest by edit distance (insertions, deletions,
 * substitutions and swaps of neighbours, case ignored), if it is close enough to be a typo rather than another word.
 */
public final class KeySuggestion {
    private KeySuggestion() {
    }

    /** The closest of {@code valid} to {@code typed}, or null when none is within typo distance. */
    public static String closest(String typed, Collection<String> valid) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String t = typed.toLowerCase(Locale.ROOT);
        for (String v : valid) {
            int d = distance(t, v.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = v;
                bestDistance = d;
            }
        }
        // one edit in short keys, up to a third of the letters in longer ones: "epoch" -> "epochs", "maxlr" -> "maxLr"
        int allowed = Math.max(1, Math.min(typed.length(), best == null ? 0 : best.length()) / 3);
        return best != null && bestDistance <= allowed ? best : null;
    }

    /** Optimal-string-alignment distance: Levenshtein plus the swap of two neighbouring letters as one edit. */
    static int distance(String a, String b) {
        int n = a.length(), m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[n][m];
    }
}
