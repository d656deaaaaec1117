package io.myelin.nir.run;

import java.util.List;

/**
 * What a NIR run did, per node, since the runner's last reset: synaptic operations counted from the actual inputs
 * (ACs where every non-zero input was a spike of 1, MACs otherwise; zero inputs cost nothing), spikes, membrane
 * updates, stored weights, and the MACs the same layer would do as a dense ANN every step.
 *
 * @param steps time steps run
 * @param dt    step (s)
 */
public record NirActivity(long steps, double dt, List<Node> nodes) {
    public NirActivity {
        nodes = List.copyOf(nodes);
    }

    /**
     * @param key       node key
     * @param type      NIR type
     * @param size      output elements
     * @param neuron    whether it is a neuron node
     * @param spiking   whether it emits spikes
     * @param acs       accumulates triggered by spikes
     * @param macs      multiply-accumulates triggered by non-binary inputs
     * @param spikes    spikes emitted
     * @param updates   state updates
     * @param synapses  stored weights feeding it
     * @param annMacs   dense MACs of the same operation over every step run
     */
    public record Node(String key, String type, int size, boolean neuron, boolean spiking, long acs, long macs,
                       long spikes, long updates, long synapses, long annMacs) {
    }
}
