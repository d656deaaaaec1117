/** Trainable spiking layers (DCLS delays, quantized spike-driven attention), optimizers, trainer and export. */
package io.myelin.models;
