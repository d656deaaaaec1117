/** OpenCL kernels (through Aparapi) and the OpenCL backend for the sim-core engine. */
package io.myelin.kernels;
