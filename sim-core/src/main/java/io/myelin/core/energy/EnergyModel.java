package io.myelin.core.energy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Energy per operation, as data (a JSON file). An accumulate (AC: one synaptic event triggered by a binary spike)
 * costs {@code e_ac_pj}, a multiply-accumulate (MAC: a multi-bit or real input times a weight) {@code e_mac_pj}, both
 * at {@code reference_bits} operand width. The defaults are Horowitz's 45 nm figures (ISSCC 2014): E_AC = 0.9 pJ,
 * E_MAC = 4.6 pJ for 32-bit floats.
 *
 * <p>Quantized operations scale with the operand width b: {@code E_AC(b) = e_ac_pj * (b / reference_bits)^ac_bit_exponent}
 * and likewise for MACs (exponent 0 = no scaling; the shipped {@code 45nm-bitscaled} model uses 1 for adders and 2
 * for multipliers). An optional memory term charges {@code memory_pj_per_bit} for reading each operation's weight
 * (its stored bit width), and {@code neuron_update_pj} for each membrane update.
 *
 * <p>Shipped models (resources): {@code 45nm} (default), {@code 45nm-bitscaled}, {@code 45nm-sram}.
 * {@link #resolve(String)} takes one of these names or a path to a JSON file of the same shape.
 *
 * @param name              short name written into reports
 * @param description       where the constants come from
 * @param eAcPj             energy of one AC at the reference width (pJ)
 * @param eMacPj            energy of one MAC at the reference width (pJ)
 * @param referenceBits     operand width the constants are given for (bits)
 * @param acBitExponent     AC energy scales as (bits / referenceBits)^acBitExponent
 * @param macBitExponent    MAC energy scales as (bits / referenceBits)^macBitExponent
 * @param memoryPjPerBit    energy of reading one weight bit (pJ/bit), 0 to leave memory out
 * @param neuronUpdatePj    energy of one membrane update (pJ), 0 to leave it out
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EnergyModel(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("e_ac_pj") double eAcPj,
        @JsonProperty("e_mac_pj") double eMacPj,
        @JsonProperty("reference_bits") int referenceBits,
        @JsonProperty("ac_bit_exponent") double acBitExponent,
        @JsonProperty("mac_bit_exponent") double macBitExponent,
        @JsonProperty("memory_pj_per_bit") double memoryPjPerBit,
        @JsonProperty("neuron_update_pj") double neuronUpdatePj) {

    /** Names of the models shipped as resources. */
    public static final List<String> BUILT_IN = List.of("45nm", "45nm-bitscaled", "45nm-sram");

    public EnergyModel {
        if (referenceBits == 0) {
            referenceBits = 32; // absent in a hand-written file: the usual float32 reference
        }
    }

    /** Checks every field; {@code where} names the file in the message. */
    public EnergyModel validate(String where) {
        if (name == null || name.isBlank()) {
            throw new InvalidInputException(where + ": 'name' is missing or blank");
        }
        finiteNonNegative(where, "e_ac_pj", eAcPj);
        finiteNonNegative(where, "e_mac_pj", eMacPj);
        finiteNonNegative(where, "ac_bit_exponent", acBitExponent);
        finiteNonNegative(where, "mac_bit_exponent", macBitExponent);
        finiteNonNegative(where, "memory_pj_per_bit", memoryPjPerBit);
        finiteNonNegative(where, "neuron_update_pj", neuronUpdatePj);
        if (referenceBits < 1 || referenceBits > 64) {
            throw new InvalidInputException(where + ": 'reference_bits' must be in 1..64, got " + referenceBits);
        }
        return this;
    }

    private static void finiteNonNegative(String where, String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new InvalidInputException(where + ": '" + field + "' must be a finite number >= 0, got " + v);
        }
    }

    /** The default: 45 nm, E_AC 0.9 pJ, E_MAC 4.6 pJ at 32 bits, no scaling. */
    public static EnergyModel default45nm() {
        return named("45nm");
    }

    /** A shipped model by name (see {@link #BUILT_IN}). */
    public static EnergyModel named(String name) {
        String resource = "models/" + name + ".json";
        try (InputStream in = EnergyModel.class.getResourceAsStream(resource)) {
            if (in == null || !BUILT_IN.contains(name)) {
                throw new InvalidInputException("unknown energy model '" + name + "' (built in: " + BUILT_IN
                        + "; or give a path to a JSON file)");
            }
            return Json.reader().readValue(in, EnergyModel.class).validate("energy model '" + name + "'");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in energy model " + resource, e);
        }
    }

    /** Reads a model from a JSON file of the documented shape. */
    public static EnergyModel read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("energy model file " + file + " does not exist");
        }
        try {
            return Json.reader().readValue(file.toFile(), EnergyModel.class).validate("energy model " + file);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException("energy model " + file + " is not valid JSON of the expected shape: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read energy model " + file + ": " + e.getMessage(), e);
        }
    }

    /** A built-in name, or else a path to a JSON file. */
    public static EnergyModel resolve(String nameOrFile) {
        if (BUILT_IN.contains(nameOrFile)) {
            return named(nameOrFile);
        }
        Path p = Path.of(nameOrFile);
        if (Files.exists(p)) {
            return read(p);
        }
        throw new InvalidInputException("energy model '" + nameOrFile + "' is neither a built-in model " + BUILT_IN
                + " nor an existing file");
    }

    /** Energy of one AC whose operands are {@code bits} wide (pJ). */
    public double acPj(int bits) {
        return eAcPj * scale(bits, acBitExponent);
    }

    /** Energy of one MAC whose operands are {@code bits} wide (pJ). */
    public double macPj(int bits) {
        return eMacPj * scale(bits, macBitExponent);
    }

    private double scale(int bits, double exponent) {
        return exponent == 0 ? 1.0 : Math.pow(bits / (double) referenceBits, exponent);
    }
}
