package io.myelin.models.module;

import io.myelin.models.tensor.Workers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of a network: a layer or a whole model, with its sub-modules ({@link #children}), the trainable arrays it
 * holds itself ({@link #ownParams}) and the non-trained state it holds itself ({@link #ownBuffers}: BatchNorm running
 * statistics, delay-kernel widths). Everything a trainer, a checkpoint or a model file needs follows from these by
 * walking the tree, as PyTorch's {@code nn.Module} does:
 * <ul>
 *   <li>{@link #params()}: every trainable array, in tree order (each module's own, then its children's);</li>
 *   <li>{@link #state()}: every parameter and buffer by name, in the same order (a module's parameters, then its
 *       buffers, then its children's), the named tensors of checkpoints and model files;</li>
 *   <li>{@link #loadState}: the inverse, values copied in, a missing or mis-sized tensor an error naming it;</li>
 *   <li>{@link #setWorkers}: the worker threads, to every module that runs parallel loops.</li>
 * </ul>
 * Tensor names are the modules' own full names ({@code hidden1.syn.weight}): a module is named when it is built.
 */
public interface Module {
    /** Prefix of this module's tensor names ({@code hidden1.syn}); empty for a module that holds none. */
    default String name() {
        return "";
    }

    /** Sub-modules, in the order their parameters and state are listed. */
    default List<? extends Module> children() {
        return List.of();
    }

    /** The trainable arrays this module holds itself (not its children's). */
    default List<Param> ownParams() {
        return List.of();
    }

    /** The non-trained state this module holds itself (not its children's). */
    default List<Buffer> ownBuffers() {
        return List.of();
    }

    /**
     * Runs this module's parallel loops on {@code w}: by default, its children's. A module that owns loops (or a
     * hidden helper layer) overrides this; results never depend on the thread count.
     */
    default void setWorkers(Workers w) {
        for (Module c : children()) {
            c.setWorkers(w);
        }
    }

    /**
     * Completes what this module sets lazily on its first forward pass (LSQ step sizes from the initial weights), so
     * that its state can be copied before any forward pass: data-parallel training copies the state to the replicas
     * that run the shards.
     */
    default void materialise() {
    }

    /** Called after {@link #loadState} filled this module's tensors (a quantizer then keeps its restored steps). */
    default void stateLoaded() {
    }

    /** Every trainable array of the tree: this module's own, then each child's, recursively. */
    default List<Param> params() {
        List<Param> out = new ArrayList<>(ownParams());
        for (Module c : children()) {
            out.addAll(c.params());
        }
        return out;
    }

    /** The trainable arrays of one kind (an optimizer group), in tree order. */
    default List<Param> params(Param.Kind kind) {
        List<Param> out = new ArrayList<>();
        for (Param p : params()) {
            if (p.kind == kind) {
                out.add(p);
            }
        }
        return out;
    }

    /** Number of trainable values. */
    default long parameterCount() {
        long n = 0;
        for (Param p : params()) {
            n += p.value.length;
        }
        return n;
    }

    /**
     * Parameters and buffers by name (parameter arrays live; buffers as {@link Buffer#read} gives them): per module its
     * parameters, then its buffers, then its children's entries.
     */
    default Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (Module m : modules(Module.class)) {
            for (Param p : m.ownParams()) {
                s.put(p.name, p.value);
            }
            for (Buffer b : m.ownBuffers()) {
                s.put(b.name(), b.read());
            }
        }
        return s;
    }

    /** Restores {@link #state()} from {@code source} (values copied in; buffers recorded for readers only skipped). */
    default void loadState(TensorSource source) {
        List<Module> all = modules(Module.class);
        for (Module m : all) {
            for (Param p : m.ownParams()) {
                System.arraycopy(source.tensor(p.name, p.value.length), 0, p.value, 0, p.value.length);
            }
            for (Buffer b : m.ownBuffers()) {
                if (b.restorable()) {
                    b.restore(source.tensor(b.name(), b.length()));
                }
            }
        }
        for (Module m : all) {
            m.stateLoaded();
        }
    }

    /** This module and every sub-module that is a {@code type}, in tree order (a module before its children). */
    default <T> List<T> modules(Class<T> type) {
        List<T> out = new ArrayList<>();
        collect(this, type, out);
        return out;
    }

    private static <T> void collect(Module m, Class<T> type, List<T> out) {
        if (type.isInstance(m)) {
            out.add(type.cast(m));
        }
        for (Module c : m.children()) {
            collect(c, type, out);
        }
    }
}
