package io.myelin.models.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;
import io.myelin.core.data.Hdf5SpikeDataset;
import io.myelin.core.data.SpikeDataset;
import io.myelin.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * What a model was trained on, recorded in its {@code model.json} and checkpoint ({@code "trained_on"}): the input
 * channels of the training file and its classes with their names. A file given to the model later ({@code eval},
 * {@code report}, {@code --resume}, the engines) must match, or is refused in one line naming both values; how frames
 * are cut and channels pooled is the config's {@code data} section, recorded beside it.
 *
 * @param channels   input channels of the training file (700 for SHD/SSC)
 * @param classNames class names, index = label ({@code "0"}, {@code "1"}, ... when the file names none)
 * @param named      whether the names come from the file ({@code /extra/keys}), so that they can be compared
 */
public record TrainedOn(int channels, List<String> classNames, boolean named) {
    public TrainedOn {
        classNames = List.copyOf(classNames);
    }

    public int classes() {
        return classNames.size();
    }

    /** What a data set offers a model. */
    public static TrainedOn of(SpikeDataset ds) {
        boolean named = ds instanceof Hdf5SpikeDataset h ? h.format().hasKeys() : !numbered(ds.classNames());
        return new TrainedOn(ds.channels(), ds.classNames(), named);
    }

    private static boolean numbered(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals(Integer.toString(i))) {
                return false;
            }
        }
        return true;
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("channels", channels);
        n.put("classes", classes());
        ArrayNode a = n.putArray("class_names");
        classNames.forEach(a::add);
        n.put("named", named);
        return n;
    }

    /**
     * The record in a {@code model.json} or checkpoint header, or null when it has none (written before records
     * existed: format v1).
     */
    public static TrainedOn fromJson(JsonNode n) {
        if (n == null || !n.isObject() || !n.path("channels").canConvertToInt() || !n.path("class_names").isArray()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (JsonNode c : n.path("class_names")) {
            names.add(c.asText());
        }
        return new TrainedOn(n.path("channels").asInt(), names, n.path("named").asBoolean(true));
    }

    /**
     * Checks that {@code file} (described by {@code what}: "the test file F") can be given to a model trained on
     * this; a mismatch is one line naming both values.
     *
     * @param subject what the file is compared with ("the model in DIR", "the training file F")
     */
    public void check(TrainedOn file, String what, String subject) {
        if (file.channels != channels) {
            throw new InvalidInputException(what + " has " + file.channels + " input channels, " + subject + " has "
                    + channels);
        }
        if (named && file.named) {
            if (file.classes() != classes()) {
                throw new InvalidInputException(what + " has " + file.classes() + " classes, " + subject + " has "
                        + classes());
            }
            for (int c = 0; c < classes(); c++) {
                if (!file.classNames.get(c).equals(classNames.get(c))) {
                    throw new InvalidInputException(what + " names class " + c + " '" + file.classNames.get(c) + "', "
                            + subject + " '" + classNames.get(c) + "'");
                }
            }
        } else if (file.classes() > classes()) {
            throw new InvalidInputException(what + " has labels up to " + (file.classes() - 1) + ", " + subject
                    + " has " + classes() + " classes (0.." + (classes() - 1) + ")");
        }
    }
}
