package io.myelin.models.data;

import java.nio.file.Path;

/**
 * The SHD/SSC-format files of a training run.
 *
 * @param valid validation file, or null (then {@code data.validFraction} of the training file, or none)
 */
public record TrainingFiles(Path train, Path valid, Path test) {
}
