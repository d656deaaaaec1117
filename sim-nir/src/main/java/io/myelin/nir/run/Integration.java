package io.myelin.nir.run;

/** How neuron dynamics are stepped in discrete time (docs/nir.md gives the formulas). */
public enum Integration {
    /**
     * Forward Euler, {@code v += dt/tau (v_leak - v + r I)}: the semantics of the shared conformance cases and of
     * most NIR importers (Norse, snnTorch at their native dt).
     */
    EULER,
    /**
     * Exact (exponential) integration of LIF, LI, CubaLI and CubaLIF with the input held constant over the step
     * (zero-order hold), {@code v = v_inf + (v - v_inf) exp(-dt/tau)}; I and IF are exact under Euler already.
     */
    EXACT
}
