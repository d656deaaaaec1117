package io.myelin.core.energy;

import io.myelin.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnergyModelTest {
    @Test
    void shippedModelsLoadByName() {
        EnergyModel m = EnergyModel.default45nm();
        assertEquals("45nm", m.name());
        assertEquals(0.9, m.eAcPj());
        assertEquals(4.6, m.eMacPj());
        assertEquals(32, m.referenceBits());
        assertEquals(0.9, m.acPj(4), "no scaling in the default model");
        for (String name : EnergyModel.BUILT_IN) {
            assertEquals(name, EnergyModel.resolve(name).name());
        }
        EnergyModel s = EnergyModel.named("45nm-bitscaled");
        assertEquals(0.9 / 8, s.acPj(4), 1e-12);
        assertEquals(4.6 / 64, s.macPj(4), 1e-12);
    }

    @Test
    void modelFromAFileAndClearErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.json");
        Files.writeString(f, "{\"name\": \"22nm\", \"e_ac_pj\": 0.1, \"e_mac_pj\": 0.4, \"ac_bit_exponent\": 1}");
        EnergyModel m = EnergyModel.resolve(f.toString());
        assertEquals("22nm", m.name());
        assertEquals(32, m.referenceBits(), "reference width defaults to 32");
        assertEquals(0.05, m.acPj(16), 1e-12);
        Files.writeString(f, "{\"name\": \"x\", \"e_ac_pj\": -1, \"e_mac_pj\": 0.4}");
        InvalidInputException neg = assertThrows(InvalidInputException.class, () -> EnergyModel.read(f));
        assertTrue(neg.getMessage().contains("'e_ac_pj' must be a finite number >= 0"), neg.getMessage());
        Files.writeString(f, "{\"name\": \"x\", \"e_ac_pj\": 1, \"e_mac_pj\": 2, \"bogus\": 3}");
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> EnergyModel.read(f));
        assertTrue(unknown.getMessage().contains("bogus"), unknown.getMessage());
        InvalidInputException none = assertThrows(InvalidInputException.class, () -> EnergyModel.resolve("7nm"));
        assertTrue(none.getMessage().contains("neither a built-in model"), none.getMessage());
    }
}
