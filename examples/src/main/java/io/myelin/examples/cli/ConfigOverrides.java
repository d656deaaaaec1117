package io.myelin.examples.cli;

import io.myelin.models.train.ConfigChanges;
import io.myelin.models.train.RunConfig;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * {@code --epochs}, {@code --teacher-epochs}, {@code --batch}, {@code --seed}, {@code --threads},
 * {@code --sigma-truncation}: a config's values overridden, each checked as the config file's value would be, the
 * message naming the option.
 */
final class ConfigOverrides {
    @Option(names = "--epochs", description = "override training.epochs (of a distilled QSD-Transformer: the student's;"
            + " the teacher's are --teacher-epochs)")
    Integer epochs;

    @Option(names = "--teacher-epochs", description = "override distillation.teacherEpochs: epochs of a QSD-Transformer's"
            + " float teacher, trained first (examples/configs/shd-qsd.json: 20)")
    Integer teacherEpochs;

    @Option(names = "--batch", description = "override training.batch")
    Integer batch;

    @Option(names = "--seed", description = "override training.seed")
    Long seed;

    @Option(names = "--threads", description = "override training.threads (results do not depend on it; more than the"
            + " machine's cores only slows training down)")
    Integer threads;

    @Option(names = "--sigma-truncation", description = "override model.sigmaTruncation (Gaussian window in sigmas, 0: none)")
    Double sigmaTruncation;

    /** The overrides that change results (every one but the thread count). */
    ConfigChanges changes() {
        return new ConfigChanges(epochs, teacherEpochs, batch, seed, sigmaTruncation);
    }

    /** {@code c} with the thread count overridden, which a resumed run may change; warns once above the cores. */
    RunConfig threads(RunConfig c, PrintWriter err) {
        RunConfig r = threads == null ? c
                : ConfigChanges.apply(c, "--threads " + threads, x -> x.withThreads(threads));
        ThreadCount.warnAboveCores(r.training().threads(), err);
        return r;
    }
}
