package io.myelin.models.train;

import io.myelin.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Predicate;

/** The recipes on the class path ({@link java.util.ServiceLoader}), looked up by config kind or file format. */
public final class Recipes {
    private static final List<Recipe<?, ?>> ALL = load();

    private Recipes() {
    }

    @SuppressWarnings("rawtypes")
    private static List<Recipe<?, ?>> load() {
        List<Recipe<?, ?>> l = new ArrayList<>();
        for (Recipe r : ServiceLoader.load(Recipe.class, Recipes.class.getClassLoader())) {
            l.add(r);
        }
        return List.copyOf(l);
    }

    /** The kinds known, in class-path order. */
    public static List<String> kinds() {
        return ALL.stream().map(Recipe::kind).toList();
    }

    /** The {@code model.json} formats known, in class-path order. */
    public static List<String> modelFormats() {
        return ALL.stream().map(Recipe::modelFormat).toList();
    }

    /** The recipe of a config kind, or null. */
    public static Recipe<?, ?> forKind(String kind) {
        return find(r -> r.kind().equals(kind));
    }

    /** The recipe of a {@code model.json} format, or null. */
    public static Recipe<?, ?> forModelFormat(String format) {
        return find(r -> r.modelFormat().equals(format));
    }

    /** The recipe of a checkpoint header format, or null. */
    public static Recipe<?, ?> forCheckpointFormat(String format) {
        return find(r -> r.checkpointFormat().equals(format));
    }

    /** The recipe whose models are {@code type}s, or null. */
    public static Recipe<?, ?> ofModelType(Class<?> type) {
        return find(r -> type.isAssignableFrom(r.modelType()));
    }

    private static Recipe<?, ?> find(Predicate<Recipe<?, ?>> which) {
        return ALL.stream().filter(which).findFirst().orElse(null);
    }

    /** The recipe that trains {@code config}. */
    @SuppressWarnings("unchecked")
    public static <C extends RunConfig> Recipe<C, ?> of(C config) {
        Recipe<?, ?> r = forKind(config.kind());
        if (r == null || !r.configType().isInstance(config)) {
            throw new InvalidInputException("no recipe in this build trains configs of kind '" + config.kind() + "'");
        }
        return (Recipe<C, ?>) r;
    }
}
