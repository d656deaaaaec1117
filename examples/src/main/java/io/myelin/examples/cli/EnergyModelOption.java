package io.myelin.examples.cli;

import io.myelin.core.energy.EnergyModel;
import picocli.CommandLine.Option;

/** {@code --energy-model}: the constants a report charges operations with. */
final class EnergyModelOption {
    @Option(names = "--energy-model", defaultValue = "45nm",
            description = "built-in energy model (45nm, 45nm-bitscaled, 45nm-sram) or a JSON file (default ${DEFAULT-VALUE})")
    String name;

    /** The built-in model of that name, or the model in that file. */
    EnergyModel resolve() {
        return EnergyModel.resolve(name);
    }
}
