package io.myelin.models.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.json.Json;
import io.myelin.core.json.RecordReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Config files as JSON, for every kind: strict reading through the one {@link RecordReader} (every key present, no
 * unknown key, no fraction where an integer belongs, no quoted numbers), each mistake one line naming the file and the
 * dotted key; and indented writing.
 */
public final class ConfigJson {
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
        return RecordReader.tree(json, "config " + where);
    }

    /** A config of {@code type} read from {@code json} (its tree checked key by key), not yet validated. */
    public static <T> T parse(String json, Class<T> type, String where) {
        return reader(type).read(json, "config " + where);
    }

    /** A config of {@code type} from its tree, accepting these extra top-level keys. */
    public static <T> T parse(JsonNode tree, Class<T> type, String where, String... extraKeys) {
        return reader(type).allowing(extraKeys).read(tree, "config " + where);
    }

    /** The strict reader of a config type. */
    public static <T> RecordReader<T> reader(Class<T> type) {
        return RecordReader.of(type).everyKeyRequired();
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
