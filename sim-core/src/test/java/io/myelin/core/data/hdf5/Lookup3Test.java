package io.myelin.core.data.hdf5;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Lookup3Test {

    @Test
    void matchesReferenceValuesFromLookup3Driver() {
        // published self-test values of Bob Jenkins' lookup3.c
        byte[] s = "Four score and seven years ago".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xdeadbeef, Lookup3.hash(new byte[0], 0, 0, 0));
        assertEquals(0x17770551, Lookup3.hash(s, 0, s.length, 0));
        assertEquals(0xcd628161, Lookup3.hash(s, 0, s.length, 1));
    }

    @Test
    void honoursOffset() {
        byte[] s = "xxFour score and seven years ago".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x17770551, Lookup3.hash(s, 2, s.length - 2, 0));
    }
}
