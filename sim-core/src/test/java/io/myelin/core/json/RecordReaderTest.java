package io.myelin.core.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.myelin.core.InvalidInputException;
import io.myelin.core.model.NetworkSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every mistake in a user's JSON is one line: the file, the dotted key, what was expected and what was found. */
class RecordReaderTest {
    record Training(int epochs, int batch, long seed, double lr, boolean shuffle) {
    }

    record Data(double frameMs, List<Integer> hidden) {
    }

    record Config(String name, Data data, Training training) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WithOptional(String name, String note) {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(value = Shape.Circle.class, name = "circle"),
            @JsonSubTypes.Type(value = Shape.Square.class, name = "square")})
    sealed interface Shape permits Shape.Circle, Shape.Square {
        record Circle(double radius) implements Shape {
        }

        record Square(double side) implements Shape {
        }
    }

    record Drawing(List<Shape> shapes) {
    }

    static final String GOOD = """
            {"name": "x", "data": {"frameMs": 10, "hidden": [4, 4]},
             "training": {"epochs": 3, "batch": 8, "seed": 1, "lr": 0.1, "shuffle": true}}""";

    static String error(String json) {
        return assertThrows(InvalidInputException.class,
                () -> RecordReader.of(Config.class).everyKeyRequired().read(json, "config c.json")).getMessage();
    }

    @Test
    void aValidFileReads() {
        Config c = RecordReader.of(Config.class).everyKeyRequired().read(GOOD, "config c.json");
        assertEquals(new Config("x", new Data(10, List.of(4, 4)), new Training(3, 8, 1, 0.1, true)), c);
        // a whole number written with a decimal point is a whole number
        assertEquals(150, RecordReader.of(Config.class).everyKeyRequired().read(GOOD.replace("\"epochs\": 3",
                "\"epochs\": 150.0"), "c").training().epochs());
    }

    @Test
    void anUnknownKeyNamesTheClosestValidOneAndListsTheValidKeys() {
        assertEquals("config c.json: unknown key training.epoch; did you mean training.epochs? (valid keys of training:"
                + " epochs, batch, seed, lr, shuffle)", error(GOOD.replace("\"epochs\"", "\"epoch\"")));
        assertEquals("config c.json: unknown key training.Batch; did you mean training.batch? (valid keys of training:"
                + " epochs, batch, seed, lr, shuffle)", error(GOOD.replace("\"batch\"", "\"Batch\"")));
        // a key of another section is pointed to
        assertEquals("config c.json: unknown key data.lr; did you mean training.lr? (valid keys of data: frameMs,"
                + " hidden)", error(GOOD.replace("\"frameMs\": 10,", "\"frameMs\": 10, \"lr\": 1,")));
        assertEquals("config c.json: unknown key backend (valid keys: name, data, training)",
                error(GOOD.replace("{\"name\"", "{\"backend\": \"x\", \"name\"")));
    }

    @Test
    void missingKeysAndWrongTypesNameTheKeyExpectedAndFound() {
        assertEquals("config c.json: training.seed is missing (expected an integer)",
                error(GOOD.replace("\"seed\": 1, ", "")));
        assertEquals("config c.json: data is missing (expected an object with keys frameMs, hidden)",
                error(GOOD.replace("\"data\": {\"frameMs\": 10, \"hidden\": [4, 4]},", "")));
        assertEquals("config c.json: training.epochs: expected an integer, found 3.5 (not a whole number)",
                error(GOOD.replace("\"epochs\": 3", "\"epochs\": 3.5")));
        assertEquals("config c.json: training.epochs: expected an integer from -2147483648 to 2147483647, found"
                + " 1.0E12 (out of range)", error(GOOD.replace("\"epochs\": 3", "\"epochs\": 1000000000000.0")));
        assertEquals("config c.json: training.epochs: expected an integer, found \"3\" (a string; write the number"
                + " without quotes)", error(GOOD.replace("\"epochs\": 3", "\"epochs\": \"3\"")));
        assertEquals("config c.json: training.shuffle: expected true or false, found 1",
                error(GOOD.replace("true", "1")));
        assertEquals("config c.json: name: expected a string, found 5", error(GOOD.replace("\"x\"", "5")));
        assertEquals("config c.json: data.hidden[1]: expected an integer, found \"a\" (a string; write the number"
                + " without quotes)", error(GOOD.replace("[4, 4]", "[4, \"a\"]")));
        assertEquals("config c.json: data.hidden: expected a list of integers, found 4",
                error(GOOD.replace("[4, 4]", "4")));
        assertEquals("config c.json: training: expected an object with keys epochs, batch, seed, lr, shuffle, found"
                + " a list [1]", error(GOOD.replace(GOOD.substring(GOOD.indexOf("{\"epochs\""), GOOD.length() - 1), "[1]")));
        assertEquals("config c.json: training.lr: expected a number, found null", error(GOOD.replace("0.1", "null")));
    }

    @Test
    void syntaxErrorsGiveTheLineAndAnEmptyFileIsNamed() {
        String msg = error("{\"name\": \"x\",\n \"data\": }");
        assertEquals("config c.json: not valid JSON at line 2, column 10:", msg.substring(0, msg.indexOf(':', 36) + 1));
        assertEquals("config c.json is empty", error(""));
        msg = error(GOOD + " {}");
        assertEquals(true, msg.startsWith("config c.json: not valid JSON"), msg);
    }

    @Test
    void optionalKeysAndPolymorphicTypes() {
        assertNull(RecordReader.of(WithOptional.class).everyKeyRequired().read("{\"name\": \"a\"}", "f").note());
        RecordReader<Drawing> r = RecordReader.of(Drawing.class).everyKeyRequired();
        assertEquals(new Drawing(List.of(new Shape.Circle(1), new Shape.Square(2))),
                r.read("{\"shapes\": [{\"type\": \"circle\", \"radius\": 1}, {\"type\": \"square\", \"side\": 2}]}", "f"));
        assertEquals("f: shapes[0].type: expected one of circle, square, found \"cirle\"; did you mean \"circle\"?",
                assertThrows(InvalidInputException.class, () -> r.read("{\"shapes\": [{\"type\": \"cirle\"}]}", "f"))
                        .getMessage());
        assertEquals("f: shapes[0].type is missing (expected one of circle, square)", assertThrows(
                InvalidInputException.class, () -> r.read("{\"shapes\": [{\"radius\": 1}]}", "f")).getMessage());
        assertEquals("f: unknown key shapes[0].side (valid keys of shapes[0]: type, radius)", assertThrows(
                InvalidInputException.class, () -> r.read("{\"shapes\": [{\"type\": \"circle\", \"radius\": 1,"
                        + " \"side\": 1}]}", "f")).getMessage());
    }

    @Test
    void networkSpecsAreReadThroughTheSameLayer() {
        String spec = NetworkSpec.builder().population("p", 2, io.myelin.core.model.LifParameters.builder().build())
                .build().toJson();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> NetworkSpec.fromJson(spec.replace("\"dtMs\"", "\"dtms\"")));
        assertEquals("network spec: unknown key dtms; did you mean dtMs? (valid keys: dtMs, seed, populations,"
                + " sources, projections)", e.getMessage());
    }

    @Test
    void closestKeyIsATypoNotAnotherWord() {
        assertEquals("epochs", KeySuggestion.closest("epoch", List.of("epochs", "batch")));
        assertEquals("maxLr", KeySuggestion.closest("maxlr", List.of("maxLr", "positionLr")));
        assertEquals("threads", KeySuggestion.closest("thraeds", List.of("threads", "seed")));
        assertNull(KeySuggestion.closest("backend", List.of("epochs", "batch", "seed")));
    }
}
