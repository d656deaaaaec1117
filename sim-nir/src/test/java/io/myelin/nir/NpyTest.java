package io.myelin.nir;

import io.myelin.core.InvalidInputException;
import io.myelin.nir.io.Npy;
import io.myelin.nir.io.NpyArray;
import io.myelin.nir.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** .npy / .npz against NumPy itself (when python3 is there) and against hand-made bytes. */
class NpyTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripsInJava() throws Exception {
        NpyArray a = new NpyArray(new int[] {2, 3}, new double[] {1, -2.5, 3, 4e-7, 5, 6}, true);
        NpyArray b = new NpyArray(new int[] {4}, new double[] {Math.PI, -0.0, 1e300, 7}, false);
        NpyArray s = new NpyArray(new int[0], new double[] {42}, false);
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        m.put("s", s);
        Path f = tmp.resolve("x.npz");
        Npz.write(m, f);
        Map<String, NpyArray> back = Npz.read(f);
        assertEquals(List.of("a", "b", "s"), List.copyOf(back.keySet()));
        assertArrayEquals(new double[] {1, -2.5, 3, (float) 4e-7, 5, 6}, back.get("a").data());
        assertEquals(b, back.get("b"));
        assertEquals(s, back.get("s"));
        byte[] bytes = Npy.bytes(a);
        assertEquals(0, (10 + (bytes[8] & 0xff)) % 64, "header padded to 64 bytes");
    }

    @Test
    void numpyReadsWhatJavaWritesAndJavaReadsWhatNumpyWrites() throws Exception {
        Python.assumeH5py();
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("f4", new NpyArray(new int[] {2, 2}, new double[] {0.5, 1.5, -2, 3}, true));
        m.put("f8", new NpyArray(new int[] {3}, new double[] {0.1, 0.2, 0.3}, false));
        Path f = tmp.resolve("j.npz");
        Npz.write(m, f);
        Path dir = tmp.resolve("np");
        Files.createDirectories(dir);
        String code = "import numpy as np, sys\n"
                + "d = np.load(sys.argv[1])\n"
                + "assert d['f4'].dtype == np.float32 and d['f4'].shape == (2, 2) and d['f4'][1, 0] == -2\n"
                + "assert d['f8'].dtype == np.float64 and d['f8'][1] == 0.2\n"
                + "o = sys.argv[2]\n"
                + "np.save(o + '/i2.npy', np.array([[1, -2], [3, 4]], dtype='<i2'))\n"
                + "np.save(o + '/u1.npy', np.array([0, 255], dtype=np.uint8))\n"
                + "np.save(o + '/be.npy', np.array([1.25, -8], dtype='>f8'))\n"
                + "np.save(o + '/b.npy', np.array([True, False]))\n"
                + "np.save(o + '/fo.npy', np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))\n"
                + "np.savez_compressed(o + '/c.npz', x=np.arange(5.0))\n"
                + "print('ok')\n";
        Python.Result r = Python.run(List.of("/usr/bin/python3", "-c", code, f.toString(), dir.toString()));
        assertEquals(0, r.code(), r.output());
        assertArrayEquals(new double[] {1, -2, 3, 4}, Npy.read(dir.resolve("i2.npy")).data());
        assertArrayEquals(new double[] {0, 255}, Npy.read(dir.resolve("u1.npy")).data());
        assertArrayEquals(new double[] {1.25, -8}, Npy.read(dir.resolve("be.npy")).data());
        assertArrayEquals(new double[] {1, 0}, Npy.read(dir.resolve("b.npy")).data());
        NpyArray fo = Npy.read(dir.resolve("fo.npy"));
        assertArrayEquals(new int[] {2, 3}, fo.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, fo.data(), "Fortran order read back in C order");
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, Npz.read(dir.resolve("c.npz")).get("x").data());
    }

    @Test
    void badFilesGiveOneClearLine() throws Exception {
        Path text = tmp.resolve("t.npy");
        Files.writeString(text, "hello, not numpy");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(text));
        assertTrue(e.getMessage().contains("not a .npy file"), e.getMessage());
        byte[] good = Npy.bytes(new NpyArray(new int[] {100}, new double[100], false));
        Path cut = tmp.resolve("cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(good, good.length - 8));
        e = assertThrows(InvalidInputException.class, () -> Npy.read(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Path obj = tmp.resolve("o.npy");
        String h = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }";
        byte[] hb = h.getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = new byte[10 + hb.length + 8];
        System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) hb.length, 0}, 0, bytes, 0, 10);
        System.arraycopy(hb, 0, bytes, 10, hb.length);
        Files.write(obj, bytes);
        e = assertThrows(InvalidInputException.class, () -> Npy.read(obj));
        assertTrue(e.getMessage().contains("descr"), e.getMessage());
        Path notZip = tmp.resolve("z.npz");
        Files.writeString(notZip, "nope");
        e = assertThrows(InvalidInputException.class, () -> Npz.read(notZip));
        assertTrue(e.getMessage().contains(".npz"), e.getMessage());
    }
}
