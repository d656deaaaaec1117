package io.myelin.models.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The register-blocked sums against plain loops written from their Javadoc: the same fused multiply-adds in the same
 * order, so the same bits, for every block width the vector code has (1 to 8 vectors and more than 8, in pieces).
 */
class BlockSumsTest {
    @ParameterizedTest(name = "{0} vectors, {1} terms")
    @CsvSource({"1, 1", "2, 5", "3, 17", "4, 9", "5, 40", "6, 3", "7, 64", "8, 11", "9, 23", "16, 7", "19, 30"})
    void shiftedTermsAddFusedMultiplyAddsInTermOrderOntoTheRow(int vectors, int terms) {
        int len = vectors * WindowOps.lanes(), span = 6 * (len + 40);
        Random rnd = new Random(vectors * 101L + terms);
        float[] src = random(rnd, 3 + span + len);
        int[] offset = new int[terms + 2];
        float[] coef = random(rnd, terms + 2);
        for (int m = 0; m < offset.length; m++) {
            offset[m] = rnd.nextInt(span);
        }
        float[] dst = random(rnd, len + 5), want = dst.clone();
        BlockSums.shiftedTerms(src, 3, offset, coef, 1, 1 + terms, dst, 2, len);
        for (int k = 0; k < len; k++) {
            float a = want[2 + k];
            for (int m = 1; m < 1 + terms; m++) {
                a = Math.fma(src[3 + offset[m] + k], coef[m], a);
            }
            want[2 + k] = a;
        }
        assertArrayEquals(want, dst, "only [2, 2 + len) is written, each element onto its value");
    }

    @ParameterizedTest(name = "{0} vectors, {1} terms")
    @CsvSource({"1, 2", "2, 7", "3, 1", "4, 12", "5, 33", "6, 25", "7, 6", "8, 19", "9, 4", "14, 10", "21, 3"})
    void shiftedTermPairsGiveEachRowTheBitsOfItsOwnSum(int vectors, int terms) {
        int len = vectors * WindowOps.lanes(), span = 5 * (len + 30);
        Random rnd = new Random(vectors * 59L + terms);
        float[] src = random(rnd, 2 + span + len);
        int[] offset = new int[terms + 1];
        float[] coefA = random(rnd, terms + 1), coefB = random(rnd, terms + 1);
        for (int m = 0; m < offset.length; m++) {
            offset[m] = rnd.nextInt(span);
        }
        // the two rows apart, with a gap between them and elements around them that must stay as they are
        int dA = 1, dB = len + 4;
        float[] dst = random(rnd, 2 * len + 7), want = dst.clone();
        BlockSums.shiftedTermPairs(src, 2, offset, coefA, coefB, 1, 1 + terms, dst, dA, dB, len);
        for (int k = 0; k < len; k++) {
            float a = want[dA + k], b = want[dB + k];
            for (int m = 1; m < 1 + terms; m++) {
                a = Math.fma(src[2 + offset[m] + k], coefA[m], a);
                b = Math.fma(src[2 + offset[m] + k], coefB[m], b);
            }
            want[dA + k] = a;
            want[dB + k] = b;
        }
        assertArrayEquals(want, dst, "each row its own chain of fused multiply-adds, nothing else written");
    }

    @ParameterizedTest(name = "{0} vectors, {1} terms")
    @CsvSource({"1, 3", "2, 8", "3, 1", "4, 21", "5, 6", "7, 13", "8, 40", "9, 2", "13, 5"})
    void shiftedTermQuadsGiveEachRowTheBitsOfItsOwnSum(int vectors, int terms) {
        int len = vectors * WindowOps.lanes(), span = 4 * (len + 20);
        Random rnd = new Random(vectors * 83L + terms);
        float[] src = random(rnd, 5 + span + len);
        int[] offset = new int[terms + 1];
        float[][] coef = new float[4][];
        for (int j = 0; j < 4; j++) {
            coef[j] = random(rnd, terms + 1);
        }
        for (int m = 0; m < offset.length; m++) {
            offset[m] = rnd.nextInt(span);
        }
        // four rows out of order, with gaps between them whose elements must stay as they are
        int[] d = {2 * len + 9, 1, 3 * len + 12, len + 5};
        float[] dst = random(rnd, 4 * len + 15), want = dst.clone();
        BlockSums.shiftedTermQuads(src, 5, offset, coef, 1, 1 + terms, dst, d, len);
        for (int j = 0; j < 4; j++) {
            for (int k = 0; k < len; k++) {
                float a = want[d[j] + k];
                for (int m = 1; m < 1 + terms; m++) {
                    a = Math.fma(src[5 + offset[m] + k], coef[j][m], a);
                }
                want[d[j] + k] = a;
            }
        }
        assertArrayEquals(want, dst, "each row its own chain of fused multiply-adds, nothing else written");
    }

    @ParameterizedTest(name = "{0} vectors, {1} terms")
    @CsvSource({"1, 4", "2, 1", "3, 13", "4, 30", "5, 7", "7, 2", "8, 50", "11, 9", "16, 25", "20, 6"})
    void tableRowsAddFusedMultiplyAddsInTermOrderOntoTheRow(int vectors, int terms) {
        int len = vectors * WindowOps.lanes(), rows = 9;
        Random rnd = new Random(vectors * 37L + terms);
        float[] table = random(rnd, rows * len + 4);
        int[] row = new int[terms];
        float[] val = random(rnd, terms);
        for (int m = 0; m < terms; m++) {
            row[m] = 4 + rnd.nextInt(rows) * len;
        }
        float[] dst = random(rnd, len + 3), want = dst.clone();
        BlockSums.tableRows(table, row, val, 0, terms, dst, 3, len);
        for (int k = 0; k < len; k++) {
            float a = want[3 + k];
            for (int m = 0; m < terms; m++) {
                a = Math.fma(table[row[m] + k], val[m], a);
            }
            want[3 + k] = a;
        }
        assertArrayEquals(want, dst);
    }

    @ParameterizedTest(name = "{0} vectors, shift {1}")
    @CsvSource({"1, 0", "3, 16", "4, 48", "8, 32", "9, 80", "4, -64"})
    void tableRowsReadTheirColumnsAtTheShift(int vectors, int shift) {
        int len = vectors * WindowOps.lanes(), rows = 7, pitch = len + 96, terms = 13;
        Random rnd = new Random(vectors * 17L + shift);
        float[] table = random(rnd, 80 + rows * pitch);
        int[] row = new int[terms];
        float[] val = random(rnd, terms);
        for (int m = 0; m < terms; m++) {
            row[m] = 80 + rnd.nextInt(rows) * pitch;
        }
        float[] dst = random(rnd, len + 3), want = dst.clone();
        BlockSums.tableRows(table, row, shift, val, 1, terms, dst, 2, len);
        for (int k = 0; k < len; k++) {
            float a = want[2 + k];
            for (int m = 1; m < terms; m++) {
                a = Math.fma(table[row[m] + shift + k], val[m], a);
            }
            want[2 + k] = a;
        }
        assertArrayEquals(want, dst);
    }

    /** Four vectors wide runs the taps in pairs (and an odd last one alone); other widths one tap at a time. */
    @ParameterizedTest(name = "{0} vectors, {1} taps, {2} terms")
    @CsvSource({"4, 1, 5", "4, 2, 9", "4, 7, 3", "4, 31, 11", "2, 5, 6", "3, 4, 1", "8, 3, 20", "4, 6, 0"})
    void tapRowsGiveEachTapTheBitsOfItsOwnTableRows(int vectors, int taps, int terms) {
        int len = vectors * WindowOps.lanes(), stride = len + 16, dStride = len + 5, rows = taps + 12;
        Random rnd = new Random(vectors * 7L + taps * 131L + terms);
        float[] table = random(rnd, 8 + rows * stride);
        int[] row = new int[terms + 1];
        float[] val = random(rnd, terms + 1);
        for (int m = 0; m < row.length; m++) {
            row[m] = 8 + (taps - 1 + rnd.nextInt(rows - taps + 1)) * stride;   // every tap's row stays in the table
        }
        int shift = 3;
        float[] dst = random(rnd, 4 + taps * dStride), want = dst.clone();
        BlockSums.tapRows(table, row, shift, stride, taps, val, 1, 1 + terms, dst, 4, dStride, len);
        for (int j = 0; j < taps; j++) {
            for (int k = 0; k < len; k++) {
                float a = want[4 + j * dStride + k];
                for (int m = 1; m < 1 + terms; m++) {
                    a = Math.fma(table[row[m] + shift - j * stride + k], val[m], a);
                }
                want[4 + j * dStride + k] = a;
            }
        }
        assertArrayEquals(want, dst, "each tap's row its own chain, the gaps between rows untouched");
    }

    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
