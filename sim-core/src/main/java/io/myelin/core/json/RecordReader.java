package io.myelin.core.json;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.core.InvalidInputException;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads JSON that people write (run configs, network specs, energy models) into records, and says what is wrong in
 * their words. The tree is checked against the record type before Jackson binds it, so that every mistake is one
 * line naming the file, the dotted key ({@code training.epochs}, {@code populations[1].size}), what was expected and
 * what was found:
 * <ul>
 *   <li>an unknown key names the closest valid one, if it looks like a typo ({@link KeySuggestion}) or is a key of
 *   another section, and lists the valid keys;</li>
 *   <li>a missing key says what it should hold (with {@link #everyKeyRequired()});</li>
 *   <li>a value of the wrong type, a fraction where an integer is expected, a number outside what the key's type
 *   holds ({@code 1e12} for an {@code int}) or a quoted number are refused rather than coerced or truncated.</li>
 * </ul>
 * Records, sealed interfaces with a {@code @JsonTypeInfo} type property, lists, arrays, maps, strings, booleans and
 * numbers are understood; any other type is left to Jackson, whose errors are translated to the same form. One
 * reader serves every kind of file, so a new config kind gets these messages without code of its own.
 *
 * @param <T> the record type read
 */
public final class RecordReader<T> {
    /** Which keys a document must have. */
    private enum Presence {
        /** every key (configs) */
        EVERY_KEY,
        /** numbers and booleans (a default of 0 would hide the mistake); a missing reference is null */
        NUMBERS,
        /** none: a missing key takes its Java default (0, false, null), which the type's constructor may replace */
        NONE
    }

    private final Class<T> type;
    private final Presence presence;
    private final Set<String> extraTopKeys;

    private RecordReader(Class<T> type, Presence presence, Set<String> extraTopKeys) {
        this.type = type;
        this.presence = presence;
        this.extraTopKeys = extraTopKeys;
    }

    /**
     * A reader of {@code type} where a missing key of a reference type is null, for the type's validation to judge;
     * numbers and booleans are always required (a default of 0 would hide the mistake).
     */
    public static <T> RecordReader<T> of(Class<T> type) {
        return new RecordReader<>(type, Presence.NUMBERS, Set.of());
    }

    /**
     * The same reader with every key required, except the reference-typed keys of records that Jackson writes
     * without their nulls ({@code @JsonInclude(NON_NULL)}): those are optional by design.
     */
    public RecordReader<T> everyKeyRequired() {
        return new RecordReader<>(type, Presence.EVERY_KEY, extraTopKeys);
    }

    /** The same reader with no key required: a missing one takes its Java default (0, false, null). */
    public RecordReader<T> defaultsForMissing() {
        return new RecordReader<>(type, Presence.NONE, extraTopKeys);
    }

    /** The same reader accepting (and ignoring) these keys at the top level, besides the record's own. */
    public RecordReader<T> allowing(String... keys) {
        Set<String> s = new LinkedHashSet<>(extraTopKeys);
        s.addAll(Arrays.asList(keys));
        return new RecordReader<>(type, presence, Set.copyOf(s));
    }

    /** The keys of the top level, in declaration order. */
    public List<String> keys() {
        return List.copyOf(components(type).keySet());
    }

    /**
     * The JSON tree of a text; {@code where} names it in errors ("config F"). Syntax errors give line and column;
     * an empty text is an error.
     */
    public static JsonNode tree(String json, String where) {
        JsonNode n;
        try {
            n = Json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
        } catch (JsonProcessingException e) {
            throw translated(e, where);
        }
        if (n == null || n.isMissingNode() || n.isNull()) {
            throw new InvalidInputException(where + " is empty");
        }
        return n;
    }

    /** Reads {@code json} (checked, then bound); {@code where} starts every message ("config F"). */
    public T read(String json, String where) {
        return read(tree(json, where), where);
    }

    /** Binds a tree after checking it. */
    public T read(JsonNode tree, String where) {
        check(tree, where);
        JsonNode bound = tree;
        if (!extraTopKeys.isEmpty() && tree instanceof ObjectNode o) {
            ObjectNode copy = o.deepCopy();
            copy.remove(extraTopKeys);
            bound = copy;
        }
        ObjectReader r = Json.reader().forType(type);
        if (presence != Presence.NONE) {
            r = r.with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        }
        T value;
        try {
            value = r.readValue(bound);
        } catch (JsonProcessingException e) {
            throw translated(e, where);
        } catch (java.io.IOException e) {
            throw new InvalidInputException(where + ": " + e.getMessage(), e);
        }
        if (value == null) {
            throw new InvalidInputException(where + " is empty");
        }
        return value;
    }

    /** Checks a tree against the type without binding it; the first mistake is thrown. */
    public void check(JsonNode tree, String where) {
        new Walk(where).value(tree, type, "", true);
    }

    /** A Jackson error as one line: the dotted key where there is one, line and column for a syntax error. */
    public static InvalidInputException translated(JsonProcessingException e, String where) {
        String msg = e.getOriginalMessage();
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return new InvalidInputException(where + ": " + dotted(m.getPath()) + ": " + msg, e);
        }
        JsonLocation at = e.getLocation();
        String line = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new InvalidInputException(where + ": not valid JSON" + line + ": " + msg, e);
    }

    private static String dotted(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ the walk

    private final class Walk {
        private final String where;

        Walk(String where) {
            this.where = where;
        }

        private InvalidInputException fail(String path, String problem) {
            return new InvalidInputException(where + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
        }

        private InvalidInputException missing(String path, String expected) {
            return new InvalidInputException(where + ": " + path + " is missing (expected " + expected + ")");
        }

        private InvalidInputException wrong(String path, Type t, JsonNode found, String why) {
            return fail(path, "expected " + expected(t) + ", found " + found(found) + (why == null ? "" : " (" + why + ")"));
        }

        void value(JsonNode n, Type t, String path, boolean top) {
            Class<?> c = raw(t);
            if (n.isNull()) {
                if (c.isPrimitive()) {
                    throw wrong(path, t, n, null);
                }
                return;
            }
            if (isInteger(c)) {
                integer(n, c, t, path);
            } else if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
                number(n, c, t, path);
            } else if (c == boolean.class || c == Boolean.class) {
                if (!n.isBoolean()) {
                    throw wrong(path, t, n, null);
                }
            } else if (c == String.class) {
                if (!n.isTextual()) {
                    throw wrong(path, t, n, null);
                }
            } else if (c.isEnum()) {
                if (!n.isTextual()) {
                    throw wrong(path, t, n, null);
                }
            } else if (c.isArray() || Collection.class.isAssignableFrom(c)) {
                if (!n.isArray()) {
                    throw wrong(path, t, n, null);
                }
                Type e = elementType(t);
                for (int i = 0; i < n.size(); i++) {
                    value(n.get(i), e, path + "[" + i + "]", false);
                }
            } else if (Map.class.isAssignableFrom(c)) {
                if (!n.isObject()) {
                    throw wrong(path, t, n, null);
                }
                Type v = t instanceof ParameterizedType p ? p.getActualTypeArguments()[1] : Object.class;
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    value(f.getValue(), v, join(path, f.getKey()), false);
                }
            } else if (c.isRecord()) {
                if (!n.isObject()) {
                    throw wrong(path, t, n, null);
                }
                record(n, c, path, top ? extraTopKeys : Set.of());
            } else if (typeProperty(c) != null) {
                polymorphic(n, c, t, path);
            }
            // anything else (JsonNode, Object, a type with its own deserializer) is Jackson's to judge
        }

        private void integer(JsonNode n, Class<?> c, Type t, String path) {
            if (!n.isNumber()) {
                throw wrong(path, t, n, n.isTextual() ? "a string; write the number without quotes" : null);
            }
            BigDecimal v = decimal(n);
            if (v == null || v.signum() != 0 && v.stripTrailingZeros().scale() > 0) {
                throw wrong(path, t, n, "not a whole number");
            }
            long[] range = range(c);
            if (v.compareTo(BigDecimal.valueOf(range[0])) < 0 || v.compareTo(BigDecimal.valueOf(range[1])) > 0) {
                throw fail(path, "expected an integer from " + range[0] + " to " + range[1] + ", found " + found(n)
                        + " (out of range)");
            }
        }

        private void number(JsonNode n, Class<?> c, Type t, String path) {
            if (!n.isNumber()) {
                throw wrong(path, t, n, n.isTextual() ? "a string; write the number without quotes" : null);
            }
            double v = n.doubleValue();
            double max = c == float.class || c == Float.class ? Float.MAX_VALUE : Double.MAX_VALUE;
            if (!Double.isFinite(v) || Math.abs(v) > max) {
                throw fail(path, "expected a finite number, found " + found(n) + " (out of range)");
            }
        }

        private void record(JsonNode n, Class<?> c, String path, Set<String> extra) {
            Map<String, Type> keys = components(c);
            JsonIgnoreProperties ignore = c.getAnnotation(JsonIgnoreProperties.class);
            Set<String> ignored = new LinkedHashSet<>(extra);
            if (ignore != null) {
                ignored.addAll(Arrays.asList(ignore.value()));
            }
            boolean unknownAllowed = ignore != null && ignore.ignoreUnknown();
            for (Iterator<String> it = n.fieldNames(); it.hasNext() && !unknownAllowed; ) {
                String k = it.next();
                if (!keys.containsKey(k) && !ignored.contains(k)) {
                    Set<String> valid = new LinkedHashSet<>(extra);
                    valid.addAll(keys.keySet());
                    throw unknownKey(n, c, path, k, valid);
                }
            }
            for (Map.Entry<String, Type> e : keys.entrySet()) {
                String k = e.getKey();
                JsonNode v = n.get(k);
                if (v == null || v.isNull()) {
                    if (required(c, k, e.getValue())) {
                        throw v == null ? missing(join(path, k), expected(e.getValue()))
                                : fail(join(path, k), "expected " + expected(e.getValue()) + ", found null");
                    }
                    if (v == null) {
                        continue;
                    }
                }
                value(v, e.getValue(), join(path, k), false);
            }
        }

        private InvalidInputException unknownKey(JsonNode n, Class<?> c, String path, String k, Set<String> keys) {
            List<String> absent = new ArrayList<>();
            for (String v : keys) {
                if (!n.has(v)) {
                    absent.add(v);
                }
            }
            String close = KeySuggestion.closest(k, absent);
            if (close == null) {
                close = KeySuggestion.closest(k, keys);
            }
            String suggestion = close != null ? join(path, close) : elsewhere(k, path);
            return new InvalidInputException(where + ": unknown key " + join(path, k)
                    + (suggestion == null ? "" : "; did you mean " + suggestion + "?")
                    + " (valid keys" + (path.isEmpty() ? "" : " of " + path) + ": " + String.join(", ", keys) + ")");
        }

        /** The dotted path of a key of the same name (case aside) in another section of the document's type. */
        private String elsewhere(String k, String notUnder) {
            Map<String, String> all = new LinkedHashMap<>();
            paths(type, "", all, 0);
            for (Map.Entry<String, String> e : all.entrySet()) {
                String parent = e.getKey().contains(".") ? e.getKey().substring(0, e.getKey().lastIndexOf('.')) : "";
                if (e.getValue().equalsIgnoreCase(k) && !parent.equals(notUnder)) {
                    return e.getKey();
                }
            }
            return null;
        }

        private void polymorphic(JsonNode n, Class<?> c, Type t, String path) {
            if (!n.isObject()) {
                throw wrong(path, t, n, null);
            }
            String property = typeProperty(c);
            Map<String, Class<?>> subtypes = subtypes(c);
            JsonNode name = n.get(property);
            if (name == null) {
                throw missing(join(path, property), "one of " + String.join(", ", subtypes.keySet()));
            }
            Class<?> sub = subtypes.get(name.asText());
            if (sub == null) {
                String close = KeySuggestion.closest(name.asText(), subtypes.keySet());
                throw fail(join(path, property), "expected one of " + String.join(", ", subtypes.keySet()) + ", found "
                        + found(name) + (close == null ? "" : "; did you mean \"" + close + "\"?"));
            }
            if (sub.isRecord()) {
                record(n, sub, path, Set.of(property));
            }
        }

        private boolean required(Class<?> record, String key, Type t) {
            if (raw(t).isPrimitive()) {
                return presence != Presence.NONE;
            }
            return presence == Presence.EVERY_KEY && !omitsNulls(record, key);
        }
    }

    // ------------------------------------------------------------------ the type's shape

    /** The JSON keys of a record and their types, in declaration order ({@code @JsonProperty} names, {@code @JsonIgnore} left out). */
    static Map<String, Type> components(Class<?> c) {
        Map<String, Type> out = new LinkedHashMap<>();
        if (!c.isRecord()) {
            return out;
        }
        for (RecordComponent rc : c.getRecordComponents()) {
            if (annotation(c, rc, JsonIgnore.class) != null) {
                continue;
            }
            JsonProperty p = annotation(c, rc, JsonProperty.class);
            out.put(p != null && !p.value().isEmpty() ? p.value() : rc.getName(), rc.getGenericType());
        }
        return out;
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(Class<?> c, RecordComponent rc, Class<A> a) {
        A found = rc.getAccessor().getAnnotation(a);
        if (found == null) {
            try {
                Field f = c.getDeclaredField(rc.getName());
                found = f.getAnnotation(a);
            } catch (NoSuchFieldException e) {
                return null;
            }
        }
        return found;
    }

    private static boolean omitsNulls(Class<?> record, String key) {
        List<AnnotatedElement> places = new ArrayList<>(List.of(record));
        for (RecordComponent rc : record.getRecordComponents()) {
            if (rc.getName().equals(key)) {
                places.add(rc.getAccessor());
            }
        }
        for (AnnotatedElement e : places) {
            JsonInclude inc = e.getAnnotation(JsonInclude.class);
            if (inc != null && inc.value() != JsonInclude.Include.ALWAYS && inc.value() != JsonInclude.Include.USE_DEFAULTS) {
                return true;
            }
        }
        return false;
    }

    private static void paths(Class<?> c, String prefix, Map<String, String> out, int depth) {
        if (depth > 6) {
            return;
        }
        for (Map.Entry<String, Type> e : components(c).entrySet()) {
            String p = join(prefix, e.getKey());
            out.put(p, e.getKey());
            Class<?> r = raw(e.getValue());
            if (r.isRecord()) {
                paths(r, p, out, depth + 1);
            }
        }
    }

    private static String typeProperty(Class<?> c) {
        JsonTypeInfo info = c.getAnnotation(JsonTypeInfo.class);
        if (info == null || info.use() != JsonTypeInfo.Id.NAME || c.getAnnotation(JsonSubTypes.class) == null) {
            return null;
        }
        return info.property().isEmpty() ? "@type" : info.property();
    }

    private static Map<String, Class<?>> subtypes(Class<?> c) {
        Map<String, Class<?>> out = new LinkedHashMap<>();
        for (JsonSubTypes.Type s : c.getAnnotation(JsonSubTypes.class).value()) {
            if (!s.name().isEmpty()) {
                out.put(s.name(), s.value());
            }
            for (String n : s.names()) {
                out.put(n, s.value());
            }
            JsonTypeName tn = s.value().getAnnotation(JsonTypeName.class);
            if (s.name().isEmpty() && s.names().length == 0) {
                out.put(tn != null ? tn.value() : s.value().getSimpleName(), s.value());
            }
        }
        return out;
    }

    private static Class<?> raw(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return raw(p.getRawType());
        }
        if (t instanceof GenericArrayType g) {
            return java.lang.reflect.Array.newInstance(raw(g.getGenericComponentType()), 0).getClass();
        }
        return Object.class;
    }

    private static Type elementType(Type t) {
        if (t instanceof Class<?> c && c.isArray()) {
            return c.getComponentType();
        }
        if (t instanceof GenericArrayType g) {
            return g.getGenericComponentType();
        }
        if (t instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
            return p.getActualTypeArguments()[0];
        }
        return Object.class;
    }

    private static boolean isInteger(Class<?> c) {
        return c == int.class || c == Integer.class || c == long.class || c == Long.class || c == short.class
                || c == Short.class || c == byte.class || c == Byte.class;
    }

    private static long[] range(Class<?> c) {
        if (c == long.class || c == Long.class) {
            return new long[]{Long.MIN_VALUE, Long.MAX_VALUE};
        }
        if (c == short.class || c == Short.class) {
            return new long[]{Short.MIN_VALUE, Short.MAX_VALUE};
        }
        if (c == byte.class || c == Byte.class) {
            return new long[]{Byte.MIN_VALUE, Byte.MAX_VALUE};
        }
        return new long[]{Integer.MIN_VALUE, Integer.MAX_VALUE};
    }

    private static BigDecimal decimal(JsonNode n) {
        if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue()) && !n.isBigDecimal()) {
            return null;
        }
        return n.decimalValue();
    }

    /** What a key of type {@code t} holds, in words. */
    static String expected(Type t) {
        Class<?> c = raw(t);
        if (isInteger(c)) {
            return "an integer";
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return "a number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "a string";
        }
        if (c.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object e : c.getEnumConstants()) {
                names.add(e.toString().toLowerCase(Locale.ROOT));
            }
            return "one of " + String.join(", ", names);
        }
        if (c.isArray() || Collection.class.isAssignableFrom(c)) {
            return "a list of " + plural(elementType(t));
        }
        if (Map.class.isAssignableFrom(c)) {
            return "an object";
        }
        if (c.isRecord()) {
            return "an object with keys " + String.join(", ", components(c).keySet());
        }
        String p = typeProperty(c);
        if (p != null) {
            return "an object with \"" + p + "\": one of " + String.join(", ", subtypes(c).keySet());
        }
        return "a value";
    }

    private static String plural(Type t) {
        Class<?> c = raw(t);
        if (isInteger(c)) {
            return "integers";
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return "numbers";
        }
        if (c == String.class) {
            return "strings";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "booleans";
        }
        return "objects";
    }

    /** A value as the user wrote it, shortened. */
    static String found(JsonNode n) {
        String s = n.toString();
        if (n.isObject()) {
            s = "an object " + s;
        } else if (n.isArray()) {
            s = "a list " + s;
        }
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
