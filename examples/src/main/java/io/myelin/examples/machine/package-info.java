/**
 * The machine's own limits on thread scaling, measured with loads that share nothing: a register-bound one (no
 * memory traffic, so only the cores' clocks and the hypervisor limit it) and a memory-bound one (each thread streams
 * its own buffer, larger than the last-level cache). Thread-scaling figures of Myelin's workloads are read against
 * them: a workload cannot scale better than the register-bound load on the same machine in the same minutes.
 */
package io.myelin.examples.machine;
