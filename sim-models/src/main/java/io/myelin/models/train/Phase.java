package io.myelin.models.train;

/**
 * One stage of a training run, trained to the end before the next starts: a distillation teacher, then the model the
 * run delivers. Each phase is a complete run of its own config in its own directory (metrics, checkpoint, best
 * model), so a kill in any phase resumes there.
 *
 * @param name  for progress output ({@code teacher})
 * @param dir   its directory, relative to the run directory ({@code ""}: the run directory itself)
 * @param config what it trains
 */
public record Phase<C extends RunConfig>(String name, String dir, C config) {
    /** The phase of a one-phase run. */
    public static <C extends RunConfig> Phase<C> only(C config) {
        return new Phase<>("main", "", config);
    }
}
