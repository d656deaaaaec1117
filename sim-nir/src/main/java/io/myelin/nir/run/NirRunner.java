package io.myelin.nir.run;

import io.myelin.core.InvalidInputException;
import io.myelin.nir.graph.Affine;
import io.myelin.nir.graph.CheckedGraph;
import io.myelin.nir.graph.Conv;
import io.myelin.nir.graph.CubaLi;
import io.myelin.nir.graph.CubaLif;
import io.myelin.nir.graph.Delay;
import io.myelin.nir.graph.Flatten;
import io.myelin.nir.graph.Input;
import io.myelin.nir.graph.IntegrateAndFire;
import io.myelin.nir.graph.Integrator;
import io.myelin.nir.graph.LeakyIntegrator;
import io.myelin.nir.graph.Lif;
import io.myelin.nir.graph.Linear;
import io.myelin.nir.graph.NeuronNode;
import io.myelin.nir.graph.NirGraph;
import io.myelin.nir.graph.NirNode;
import io.myelin.nir.graph.Output;
import io.myelin.nir.graph.Pool;
import io.myelin.nir.graph.Scale;
import io.myelin.nir.graph.Tensor;
import io.myelin.nir.graph.Threshold;
import io.myelin.nir.io.NpyArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a NIR graph in discrete time with step {@code dt} (seconds), with the semantics of docs/nir.md (those of the
 * shared conformance cases): each step every node is evaluated once, breadth-first from the Input node; a node's
 * input is the sum of its predecessors' outputs, this step's for predecessors already evaluated, the previous
 * step's otherwise (so a recurrent edge sees the previous step, zeros at step 0); {@code Delay} delays by
 * {@code round(delay / dt)} steps (round half to even, as NumPy); neurons step by forward Euler or exactly
 * ({@link Integration}). States start at zero.
 *
 * <p>The graph is compiled once into flat arrays, one operation per node (dense or sparse matrix-vector products
 * that skip zero inputs, direct convolutions, ring-buffer delays, element-wise neuron updates): the cost per step is
 * that of the arithmetic, not of interpreting the graph. Large operations split their outputs over
 * {@code threads}; the split depends on the graph only, so any thread count gives the same bits. Values are
 * float64 throughout. Not thread-safe: one runner runs one simulation at a time.
 */
public final class NirRunner implements AutoCloseable {
    private final CheckedGraph checked;
    private final double dt;
    private final Integration integration;
    private final Op[] ops;
    private final Map<String, Op> byKey = new LinkedHashMap<>();
    private final Parallel par;
    private final InputOp input;
    private final Op output;
    private long steps;

    private NirRunner(CheckedGraph checked, double dt, Integration integration, int threads) {
        this.checked = checked;
        this.dt = dt;
        this.integration = integration;
        this.par = new Parallel(threads);
        List<String> order = checked.order();
        ops = new Op[order.size()];
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < ops.length; k++) {
            String key = order.get(k);
            ops[k] = compile(key, checked.graph().nodes().get(key));
            index.put(key, k);
            byKey.put(key, ops[k]);
        }
        for (int k = 0; k < ops.length; k++) {
            List<String> preds = checked.predecessors(order.get(k));
            int[] p = new int[preds.size()];
            for (int e = 0; e < p.length; e++) {
                p[e] = index.get(preds.get(e));
            }
            ops[k].preds = p;
            if (p.length == 1 && p[0] != k && ops[p[0]].out.length == ops[k].in.length) {
                // read the predecessor's output array directly: at this node's turn it holds exactly the value the
                // semantics ask for (this step's if already evaluated, else the previous step's)
                ops[k].in = ops[p[0]].out;
                ops[k].aliased = true;
            }
        }
        List<String> ins = checked.graph().inputKeys(), outs = checked.graph().outputKeys();
        input = ins.size() == 1 ? (InputOp) byKey.get(ins.get(0)) : null;
        output = outs.size() == 1 ? byKey.get(outs.get(0)) : null;
    }

    /** Compiles {@code graph} for forward-Euler steps of {@code dtSeconds}, on the calling thread. */
    public static NirRunner compile(NirGraph graph, double dtSeconds) {
        return compile(graph, dtSeconds, Integration.EULER, 1);
    }

    /**
     * Compiles {@code graph} (checked and flattened first).
     *
     * @param dtSeconds   time step (s), &gt; 0
     * @param integration how neurons are stepped
     * @param threads     threads for large operations (&ge; 1); results do not depend on it
     */
    public static NirRunner compile(NirGraph graph, double dtSeconds, Integration integration, int threads) {
        if (!(dtSeconds > 0) || Double.isInfinite(dtSeconds)) {
            throw new InvalidInputException("dt must be a positive number of seconds, got " + dtSeconds);
        }
        if (threads < 1) {
            throw new InvalidInputException("threads must be >= 1, got " + threads);
        }
        return new NirRunner(graph.check(), dtSeconds, integration, threads);
    }

    private Op compile(String key, NirNode n) {
        int inSize = checked.inputShape(key) == null ? checked.size(key) : (int) Tensor.count(checked.inputShape(key));
        int outSize = checked.size(key);
        if (n instanceof Input) {
            return new InputOp(key, outSize);
        }
        if (n instanceof Output || n instanceof Flatten) {
            return new CopyOp(key, n.type(), outSize);
        }
        if (n instanceof Affine a) {
            return new DenseOp(key, "Affine", a.out(), a.in(), a.weight().data(), a.bias().data());
        }
        if (n instanceof Linear l) {
            return new DenseOp(key, "Linear", l.out(), l.in(), l.weight().data(), null);
        }
        if (n instanceof Scale s) {
            return new ElementwiseOp(key, "Scale", s.scale().data(), false);
        }
        if (n instanceof Threshold t) {
            return new ElementwiseOp(key, "Threshold", t.threshold().data(), true);
        }
        if (n instanceof Delay d) {
            double[] sec = d.delay().data();
            int[] stepsOf = new int[sec.length];
            for (int i = 0; i < sec.length; i++) {
                double s = Math.rint(sec[i] / dt);
                if (s > 1e7) {
                    throw new InvalidInputException(NirNode.where(key, n) + ": delay " + sec[i] + " s is " + s
                            + " steps of dt " + dt + " s; too long to hold");
                }
                stepsOf[i] = (int) s;
            }
            return new DelayOp(key, stepsOf);
        }
        if (n instanceof Conv c) {
            int[] in = c.resolvedInput(checked.inputShape(key) == null ? new int[] {c.inChannels()} : checked.inputShape(key), key);
            int[] kernel = new int[c.dims()], pad = new int[c.dims()];
            for (int d = 0; d < c.dims(); d++) {
                kernel[d] = c.kernel(d);
                pad[d] = c.padBefore(d);
            }
            return new ConvOp(key, c.type(), in, checked.shape(key), kernel, c.stride(), pad, c.dilation(), c.groups(),
                    c.weight().data(), c.bias().data());
        }
        if (n instanceof Pool p) {
            return new PoolOp(key, p.type(), checked.inputShape(key), checked.shape(key), p.kernel(), p.stride(),
                    p.padding(), p.average());
        }
        boolean exact = integration == Integration.EXACT;
        String what = NirNode.where(key, n);
        if (n instanceof Lif l) {
            return new LeakyOp(key, "LIF", dt, b(l.tau(), outSize, what), b(l.r(), outSize, what),
                    b(l.vLeak(), outSize, what), b(l.vThreshold(), outSize, what), b(l.vReset(), outSize, what), exact);
        }
        if (n instanceof LeakyIntegrator l) {
            return new LeakyOp(key, "LI", dt, b(l.tau(), outSize, what), b(l.r(), outSize, what),
                    b(l.vLeak(), outSize, what), null, null, exact);
        }
        if (n instanceof IntegrateAndFire f) {
            return new LeakyOp(key, "IF", dt, null, b(f.r(), outSize, what), null, b(f.vThreshold(), outSize, what),
                    b(f.vReset(), outSize, what), exact);
        }
        if (n instanceof Integrator i) {
            return new LeakyOp(key, "I", dt, null, b(i.r(), outSize, what), null, null, null, exact);
        }
        if (n instanceof CubaLif c) {
            return new CubaOp(key, "CubaLIF", dt, b(c.tauSyn(), outSize, what), b(c.tauMem(), outSize, what),
                    b(c.r(), outSize, what), b(c.vLeak(), outSize, what), b(c.wIn(), outSize, what),
                    b(c.vThreshold(), outSize, what), b(c.vReset(), outSize, what), exact);
        }
        if (n instanceof CubaLi c) {
            return new CubaOp(key, "CubaLI", dt, b(c.tauSyn(), outSize, what), b(c.tauMem(), outSize, what),
                    b(c.r(), outSize, what), b(c.vLeak(), outSize, what), b(c.wIn(), outSize, what), null, null, exact);
        }
        throw new InvalidInputException(NirNode.where(key, n) + ": cannot be run (nested graphs are flattened first)");
    }

    private static double[] b(Tensor t, int n, String what) {
        return t.broadcast(n, what);
    }

    /** Clears every state and counter: the next step is step 0. */
    public void reset() {
        for (Op op : ops) {
            op.reset();
        }
        steps = 0;
    }

    /** Advances one step with {@code in} (row-major, the Input node's shape) as the Input's value. */
    public void step(double[] in) {
        if (input == null) {
            throw new InvalidInputException("the graph has " + checked.graph().inputKeys().size()
                    + " Input nodes; step(double[]) needs exactly one");
        }
        if (in.length != input.out.length) {
            throw new InvalidInputException("input row has " + in.length + " values, the Input node '" + input.key
                    + "' takes " + input.out.length);
        }
        System.arraycopy(in, 0, input.out, 0, in.length);
        advance();
    }

    private void advance() {
        for (Op op : ops) {
            if (!op.aliased && op.preds.length > 0) {
                gather(op);
            }
            op.compute(par);
        }
        steps++;
    }

    private void gather(Op op) {
        double[] sum = op.in;
        int[] p = op.preds;
        double[] first = ops[p[0]].out;
        System.arraycopy(first, 0, sum, 0, sum.length);
        for (int e = 1; e < p.length; e++) {
            double[] o = ops[p[e]].out;
            for (int i = 0; i < sum.length; i++) {
                sum[i] += o[i];
            }
        }
    }

    /**
     * Runs one sequence from a cleared state: {@code input} is {@code [T, *input_shape]}; records the Output node
     * every step and the membrane of the neuron nodes in {@code recordStates} (null: all of them).
     */
    public NirTrace run(NpyArray input, Collection<String> recordStates) {
        if (output == null) {
            throw new InvalidInputException("the graph has " + checked.graph().outputKeys().size()
                    + " Output nodes; a run records exactly one");
        }
        int t = input.rows();
        int rowSize = input.rowSize();
        if (this.input == null || rowSize != this.input.out.length) {
            throw new InvalidInputException("input rows hold " + rowSize + " values but the Input node takes "
                    + (this.input == null ? "?" : this.input.out.length) + " (input must be [T, *input_shape])");
        }
        List<String> keys = new ArrayList<>(recordStates == null ? neuronKeys() : recordStates);
        for (String k : keys) {
            if (!(byKey.get(k) instanceof LeakyOp) && !(byKey.get(k) instanceof CubaOp)) {
                throw new InvalidInputException("'" + k + "' is not a neuron node of the graph (neuron nodes: "
                        + neuronKeys() + ")");
            }
        }
        // what the run records (and what writing it as .npz copies once more), checked before the first step
        long values = (long) output.out.length;
        for (String k : keys) {
            values += byKey.get(k).out.length;
        }
        io.myelin.core.MemoryBudget.check(io.myelin.core.MemoryBudget.times(io.myelin.core.MemoryBudget.times(values, t),
                16), "a run of " + t + " steps recording " + values + " values per step");
        reset();
        double[] data = input.data();
        double[] row = new double[rowSize];
        int outSize = output.out.length;
        double[] out = new double[t * outSize];
        Map<String, double[]> states = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (String k : keys) {
            states.put(k, new double[t * byKey.get(k).out.length]);
            shapes.put(k, checked.shape(k));
        }
        for (int s = 0; s < t; s++) {
            System.arraycopy(data, s * rowSize, row, 0, rowSize);
            step(row);
            System.arraycopy(output.out, 0, out, s * outSize, outSize);
            for (String k : keys) {
                double[] v = membrane(byKey.get(k));
                System.arraycopy(v, 0, states.get(k), s * v.length, v.length);
            }
        }
        return new NirTrace(t, checked.shape(output.key), out, shapes, states);
    }

    private static double[] membrane(Op op) {
        return op instanceof LeakyOp l ? l.v : ((CubaOp) op).v;
    }

    /** Keys of the neuron nodes, in evaluation order. */
    public List<String> neuronKeys() {
        List<String> out = new ArrayList<>();
        for (Op op : ops) {
            if (op instanceof LeakyOp || op instanceof CubaOp) {
                out.add(op.key);
            }
        }
        return out;
    }

    /** The current output of node {@code key} (spikes 0/1 for spiking neurons, the value otherwise); a copy. */
    public double[] value(String key) {
        return op(key).out.clone();
    }

    /** The current membrane potentials of neuron node {@code key}; a copy. */
    public double[] membrane(String key) {
        Op op = op(key);
        if (!(op instanceof LeakyOp) && !(op instanceof CubaOp)) {
            throw new InvalidInputException("'" + key + "' is a " + op.type + " node, not a neuron node");
        }
        return membrane(op).clone();
    }

    /** The Output node's current value; a copy. */
    public double[] output() {
        if (output == null) {
            throw new InvalidInputException("the graph has no single Output node");
        }
        return output.out.clone();
    }

    private Op op(String key) {
        Op op = byKey.get(key);
        if (op == null) {
            throw new InvalidInputException("the graph has no node '" + key + "' (nodes: " + byKey.keySet() + ")");
        }
        return op;
    }

    /** Per-node operation counts since the last {@link #reset()}. */
    public NirActivity activity() {
        List<NirActivity.Node> nodes = new ArrayList<>();
        for (Op op : ops) {
            boolean neuron = op instanceof LeakyOp || op instanceof CubaOp;
            nodes.add(new NirActivity.Node(op.key, op.type, op.out.length, neuron,
                    neuron && checked.graph().nodes().get(op.key) instanceof NeuronNode nn && nn.spiking(),
                    op.acs, op.macs, op.spikes, op.updates, op.synapses(), op.denseMacsPerStep() * steps));
        }
        return new NirActivity(steps, dt, nodes);
    }

    public CheckedGraph graph() {
        return checked;
    }

    public double dtSeconds() {
        return dt;
    }

    public Integration integration() {
        return integration;
    }

    /** Steps run since the last reset. */
    public long steps() {
        return steps;
    }

    public int[] inputShape() {
        return input == null ? null : checked.shape(input.key);
    }

    public int[] outputShape() {
        return output == null ? null : checked.shape(output.key);
    }

    @Override
    public void close() {
        par.close();
    }
}
