package io.myelin.nir.graph;

/**
 * One NIR primitive with its validated parameters. Implementations are immutable; {@link #type()} is the name the
 * NIR file stores ({@code "LIF"}, {@code "Affine"}, ...). Shapes exclude the batch dimension, as in NIR.
 */
public sealed interface NirNode permits Input, Output, Affine, Linear, Scale, Conv, Pool, Flatten, Delay, Threshold,
        NeuronNode, NirGraph {

    /** The NIR type name. */
    String type();

    /**
     * The shape this node emits given the shape it receives (null for an {@link Input}, which receives nothing).
     *
     * @param input shape of the summed input
     * @param key   the node's key, for error messages
     * @throws io.myelin.core.InvalidInputException when the input shape does not fit the parameters
     */
    int[] outputShape(int[] input, String key);

    /** Number of stored parameter values (weights, biases, time constants, ...), for summaries. */
    long parameterCount();

    /** Error prefix naming a node: {@code node 'key' (TYPE)}. */
    static String where(String key, NirNode n) {
        return "node '" + key + "' (" + n.type() + ")";
    }
}
