package io.myelin.core.data.hdf5;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Hdf5TypeTest {
    @Test
    void integersOutsideTheTypeAreRejectedNotWrapped() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        Hdf5Type.UINT8.encode(b, 255);
        assertEquals((byte) 255, b.get(0));
        assertThrows(IllegalArgumentException.class, () -> Hdf5Type.UINT8.encode(b, 256));
        assertThrows(IllegalArgumentException.class, () -> Hdf5Type.UINT16.encode(b, -1));
        assertThrows(IllegalArgumentException.class, () -> Hdf5Type.INT8.encode(b, 128));
        assertThrows(IllegalArgumentException.class, () -> Hdf5Type.INT32.encode(b, 1.5));
        Hdf5Type.INT8.encode(b, -128);
        Hdf5Type.INT64.encode(b, -5);
    }
}
