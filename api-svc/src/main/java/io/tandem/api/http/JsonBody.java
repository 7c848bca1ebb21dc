package io.tandem.api.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.micronaut.core.annotation.Nullable;
import io.tandem.api.errors.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request body read strictly, as Cinder's JSON schemas do: it must be a JSON object, every key must be one the route
 * declares (else 400 "Additional properties are not allowed ('x' was unexpected)"), and each value must have the type
 * its getter asks for (else 400 naming the field). Controllers take the body as {@code @Body @Nullable String} and
 * parse it here, so no framework binding ever answers a body error in its own words.
 *
 * <pre>{@code
 * JsonBody body = JsonBody.parse(text, "host", "cluster");
 * Optional<String> host = body.string("host");
 * }</pre>
 */
public final class JsonBody {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The name this object was reached under, for messages: "" for the body itself, else e.g. {@code targets[0]}. */
    private final String field;

    private final Map<String, Object> values;

    private JsonBody(String field, Map<String, Object> values) {
        this.field = field;
        this.values = values;
    }

    /** Parses {@code text}, which must be a JSON object whose keys are all among {@code allowedKeys}. */
    public static JsonBody parse(@Nullable String text, String... allowedKeys) {
        if (text == null || text.isBlank()) {
            throw ApiException.badRequest("The request body is missing: a JSON object is expected.");
        }
        Object value;
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            value = read(parser, first);
            if (parser.nextToken() != null) {
                throw ApiException.badRequest("Malformed request body");
            }
        } catch (JsonProcessingException e) {
            // The parser's message quotes the body back with line numbers; Cinder says only this.
            throw ApiException.badRequest("Malformed request body");
        } catch (IOException e) {
            throw ApiException.badRequest("Malformed request body");
        }
        if (!(value instanceof Map<?, ?>)) {
            throw ApiException.badRequest("Malformed request body: " + render(value) + " is not of type 'object'");
        }
        return checked("", asObject(value), allowedKeys);
    }

    /** The object under {@code key} (required), whose keys are all among {@code allowedKeys}. */
    public JsonBody object(String key, String... allowedKeys) {
        Object value = values.get(key);
        if (value == null) {
            throw ApiException.badRequest("'" + key + "' is a required property");
        }
        if (!(value instanceof Map<?, ?>)) {
            throw typeError(key, value, "object");
        }
        return checked(key, asObject(value), allowedKeys);
    }

    /**
     * The array under {@code key} (required; null counts as absent), whose items must all be objects with keys among
     * {@code allowedKeys}; it may be empty. Errors about one item name it {@code key[index]}.
     */
    public List<JsonBody> objects(String key, String... allowedKeys) {
        Object value = values.get(key);
        if (value == null) {
            throw missing(key);
        }
        if (!(value instanceof List<?> list)) {
            throw typeError(key, value, "array");
        }
        List<JsonBody> items = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            String itemField = key + "[" + i + "]";
            if (!(item instanceof Map<?, ?>)) {
                throw ApiException.badRequest("Invalid input for field/attribute " + itemField + ". Value: "
                        + render(item) + ". " + render(item) + " is not of type 'object'");
            }
            items.add(checked(itemField, asObject(item), allowedKeys));
        }
        return items;
    }

    /** The string under {@code key}, which must be present and not null. */
    public String requiredString(String key) {
        if (values.get(key) == null) {
            throw missing(key);
        }
        return string(key).orElseThrow();
    }

    /** True when {@code key} is present with a value other than null. */
    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** The keys present, in body order. */
    public Set<String> keys() {
        return values.keySet();
    }

    /** The string under {@code key}; empty when absent or null. */
    public Optional<String> string(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw typeError(key, value, "string");
        }
        return Optional.of(s);
    }

    /** The integer under {@code key}; empty when absent or null. Fractions and out-of-range numbers are 400. */
    public Optional<Long> integer(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Long l)) {
            throw typeError(key, value, "integer");
        }
        return Optional.of(l);
    }

    /** The boolean under {@code key}; empty when absent or null. */
    public Optional<Boolean> bool(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean b)) {
            throw typeError(key, value, "boolean");
        }
        return Optional.of(b);
    }

    /** A 400 about the value under {@code key}, in the wording of Cinder's schema errors. */
    public ApiException invalid(String key, String reason) {
        return ApiException.badRequest(
                "Invalid input for field/attribute " + key + ". Value: " + render(values.get(key)) + ". " + reason);
    }

    /** A 400 for a required key that is absent: about the body itself, or about the object it belongs in. */
    private ApiException missing(String key) {
        String message = "'" + key + "' is a required property";
        return ApiException.badRequest(
                field.isEmpty()
                        ? message
                        : "Invalid input for field/attribute " + field + ". Value: " + render(values) + ". " + message);
    }

    private ApiException typeError(String key, Object value, String type) {
        return invalid(key, render(value) + " is not of type '" + type + "'");
    }

    private static JsonBody checked(String field, Map<String, Object> values, String... allowedKeys) {
        Set<String> allowed = Set.of(allowedKeys);
        List<String> unexpected =
                values.keySet().stream().filter(k -> !allowed.contains(k)).toList();
        if (!unexpected.isEmpty()) {
            String names = unexpected.stream().map(k -> "'" + k + "'").collect(Collectors.joining(", "));
            String message = "Additional properties are not allowed (" + names
                    + (unexpected.size() == 1 ? " was" : " were") + " unexpected)";
            throw ApiException.badRequest(
                    field.isEmpty()
                            ? message
                            : "Invalid input for field/attribute " + field + ". Value: " + render(values) + ". "
                                    + message);
        }
        return new JsonBody(field, values);
    }

    /** Reads one value starting at {@code token}: objects, arrays, strings, integers (Long), decimals, booleans, null. */
    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        if (token == null) {
            throw ApiException.badRequest("Malformed request body");
        }
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    if (t == null) {
                        throw ApiException.badRequest("Malformed request body");
                    }
                    String name = parser.currentName();
                    object.put(name, read(parser, parser.nextToken()));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    if (t == null) {
                        throw ApiException.badRequest("Malformed request body");
                    }
                    array.add(read(parser, t));
                }
                return array;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                // Beyond a long it is no valid size or id anywhere in the API: keep it as a decimal, so integer()
                // refuses it with a type error instead of overflowing.
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getDecimalValue()
                        : (Object) parser.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDecimalValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw ApiException.badRequest("Malformed request body");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value) {
        return (Map<String, Object>) value;
    }

    /** A value as it appears in messages: strings quoted, like Cinder's (Python's) rendering. */
    private static String render(@Nullable Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(e -> render(e.getKey()) + ": " + render(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JsonBody::render).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return render(values);
    }
}
