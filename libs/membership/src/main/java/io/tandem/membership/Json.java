package io.tandem.membership;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.etcd.jetcd.ByteSequence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The JSON form of the values Tandem keeps in etcd: snake_case fields, ISO-8601 instants. */
final class Json {
    // Unknown fields are ignored so that a newer node may add fields without breaking older readers during an upgrade.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {}

    static ByteSequence write(Object value) {
        try {
            return ByteSequence.from(MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            // Only our own records are written; failing to serialise one is a programming error.
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    static String writeString(Object value) {
        return write(value).toString(StandardCharsets.UTF_8);
    }

    /** Parses a value; a malformed one throws {@link IllegalArgumentException} naming the key. */
    static <T> T read(String key, ByteSequence bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes.getBytes(), type);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed " + type.getSimpleName() + " at etcd key " + key, e);
        }
    }

    static <T> T readString(String json, Class<T> type) {
        return read("(string)", ByteSequence.from(json, StandardCharsets.UTF_8), type);
    }
}
