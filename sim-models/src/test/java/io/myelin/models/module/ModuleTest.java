package io.myelin.models.module;

import io.myelin.core.InvalidInputException;
import io.myelin.models.tensor.Workers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walks of a module tree against a tree written out by hand: parameters in tree order, state per module
 * (parameters, buffers, then children), a restore that copies every value back (and leaves recorded-only buffers
 * alone), workers and discovery reaching every node.
 */
class ModuleTest {
    /** A node holding what it is given. */
    static final class Node implements Module {
        final String name;
        final List<Param> params;
        final List<Buffer> buffers;
        final List<Module> children;
        Workers workers;
        int loaded;

        Node(String name, List<Param> params, List<Buffer> buffers, Module... children) {
            this.name = name;
            this.params = params;
            this.buffers = buffers;
            this.children = List.of(children);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<? extends Module> children() {
            return children;
        }

        @Override
        public List<Param> ownParams() {
            return params;
        }

        @Override
        public List<Buffer> ownBuffers() {
            return buffers;
        }

        @Override
        public void setWorkers(Workers w) {
            workers = w;
            Module.super.setWorkers(w);
        }

        @Override
        public void stateLoaded() {
            loaded++;
        }
    }

    static Param p(String name, float... v) {
        return new Param(name, Param.Kind.WEIGHT, v);
    }

    final double[] sig = {1.25};
    final float[] running = {3, 4};
    final Param a = p("a.w", 1, 2), b = p("b.w", 5), c = new Param("c.pos", Param.Kind.POSITION, new float[]{6, 7, 8});
    final Node leafB = new Node("b", List.of(b), List.of(Buffer.of("b.running", running)));
    final Node leafC = new Node("c", List.of(c), List.of(Buffer.recorded("c.sig", 1, () -> new float[]{(float) sig[0]}),
            Buffer.ofDouble("c.sig64", () -> sig[0], v -> sig[0] = v)));
    final Node inner = new Node("inner", List.of(), List.of(), leafC);
    final Node root = new Node("root", List.of(a), List.of(), leafB, inner);

    @Test
    void paramsAndStateFollowTheTree() {
        assertEquals(List.of(a, b, c), root.params());
        assertEquals(List.of(c), root.params(Param.Kind.POSITION));
        assertEquals(6, root.parameterCount());
        Map<String, float[]> s = root.state();
        assertEquals(List.of("a.w", "b.w", "b.running", "c.pos", "c.sig", "c.sig64"), new ArrayList<>(s.keySet()));
        assertSame(a.value, s.get("a.w"), "parameters are listed live");
        assertSame(running, s.get("b.running"), "an array buffer is listed live");
        assertArrayEquals(new float[]{1.25f}, s.get("c.sig"));
        long bits = Double.doubleToRawLongBits(1.25);
        assertArrayEquals(new float[]{Float.intBitsToFloat((int) (bits >>> 32)), Float.intBitsToFloat((int) bits)},
                s.get("c.sig64"), "a double as two float bit patterns, high word first");
    }

    @Test
    void loadStateRestoresEveryValueAndCallsBack() {
        double awkward = 0.1 + 0.2;   // not a float: the double must come back bit for bit
        Map<String, float[]> saved = new HashMap<>();
        root.state().forEach((k, v) -> saved.put(k, v.clone()));
        saved.put("a.w", new float[]{-1, -2});
        saved.put("b.running", new float[]{9, 10});
        long bits = Double.doubleToRawLongBits(awkward);
        saved.put("c.sig64", new float[]{Float.intBitsToFloat((int) (bits >>> 32)), Float.intBitsToFloat((int) bits)});
        saved.put("c.sig", new float[]{42});   // recorded for readers only: never read back
        root.loadState((name, length) -> {
            float[] v = saved.get(name);
            assertEquals(length, v.length, name);
            return v;
        });
        assertArrayEquals(new float[]{-1, -2}, a.value);
        assertArrayEquals(new float[]{9, 10}, running);
        assertEquals(awkward, sig[0]);
        for (Node n : List.of(root, leafB, inner, leafC)) {
            assertEquals(1, n.loaded, n.name + " told once");
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> root.loadState((name, length) -> {
            if (name.equals("b.w")) {
                throw new InvalidInputException("tensor '" + name + "' is missing");
            }
            return saved.get(name);
        }));
        assertTrue(e.getMessage().contains("b.w"), e.getMessage());
    }

    @Test
    void workersAndDiscoveryReachEveryNode() {
        try (Workers w = new Workers(2)) {
            root.setWorkers(w);
            for (Node n : List.of(root, leafB, inner, leafC)) {
                assertSame(w, n.workers, n.name);
            }
        }
        List<String> order = new ArrayList<>();
        for (Node n : root.modules(Node.class)) {
            order.add(n.name);
        }
        assertEquals(List.of("root", "b", "inner", "c"), order, "a module before its children");
    }
}
