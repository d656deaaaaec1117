package io.myelin.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's one Jackson mapper. Every JSON file and line Myelin reads or writes goes through it; a format that
 * reads differently (a strict config, a report that tolerates newer fields) derives its own {@link ObjectReader}
 * from {@link #reader()} with the features it needs, which is immutable and costs nothing, instead of building a
 * mapper of its own.
 *
 * <p>Output is deterministic: records list their components in declaration order, a type that adds properties
 * through getters declares their order with {@code @JsonPropertyOrder} (without it the order follows reflection,
 * which differs from one run to the next), and the maps Myelin writes keep their order ({@code LinkedHashMap},
 * {@code EnumMap}). Map entries are deliberately not sorted by key: the command line writes its maps in the order
 * a reader wants them.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final ObjectReader READER = MAPPER.reader();
    private static final ObjectWriter COMPACT = MAPPER.writer();
    private static final ObjectWriter INDENTED = MAPPER.writer(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** Reads trees and values with Jackson's defaults: an unknown field of a type is an error. */
    public static ObjectReader reader() {
        return READER;
    }

    /** The JSON tree of a file; an empty file gives a missing node. */
    public static JsonNode tree(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return READER.readTree(in);
        }
    }

    /** One line without spaces: {@code metrics.jsonl} lines and the command line's {@code --json} output. */
    public static ObjectWriter compact() {
        return COMPACT;
    }

    /** Two-space indentation, {@code " : "} after names (Jackson's default printer): the files people read. */
    public static ObjectWriter indented() {
        return INDENTED;
    }

    /** A new, empty JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A new, empty JSON array. */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }
}
