package io.myelin.models.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Config files as JSON, for every kind: strict reading (every field present, no nulls for numbers, no unknown field)
 * with one-line errors naming the file, and indented writing.
 */
public final class ConfigJson {
    private static final ObjectReader STRICT = Json.reader()
            .with(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigJson() {
    }

    /** The text of a config file. */
    public static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("config " + file + " does not exist");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read config " + file + ": " + e.getMessage());
        }
    }

    /** The JSON tree of a config ({@code where} names it in errors). */
    public static JsonNode tree(String json, String where) {
        JsonNode n;
        try {
            n = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("config " + where + ": " + e.getOriginalMessage());
        }
        if (n == null || n.isMissingNode() || n.isNull()) {
            throw new InvalidInputException("config " + where + " is empty");
        }
        return n;
    }

    /** A config of {@code type} read from {@code json}, not yet validated. */
    public static <T> T parse(String json, Class<T> type, String where) {
        T c;
        try {
            c = STRICT.forType(type).readValue(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("config " + where + ": " + e.getOriginalMessage());
        }
        if (c == null) {
            throw new InvalidInputException("config " + where + " is empty");
        }
        return c;
    }

    /** {@code config} as indented JSON. */
    public static String write(Object config) {
        try {
            return Json.indented().writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
