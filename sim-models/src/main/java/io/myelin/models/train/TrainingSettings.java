package io.myelin.models.train;

/** The part of a config's {@code "training"} section that the {@link Trainer} itself reads, common to every kind. */
public interface TrainingSettings {
    /** Epochs of the run (of its last phase). */
    int epochs();

    /** Samples per batch. */
    int batch();

    /** Seed of every random choice: initial weights, validation split, shuffles, dropout masks. */
    long seed();

    /** Worker threads (results do not depend on it). */
    int threads();
}
