package io.tandem.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpStatus;
import io.tandem.api.errors.ApiException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodyTest {
    @Test
    void readsTypedValues() {
        JsonBody body = JsonBody.parse(
                "{\"host\":\"h@b\",\"size\":3,\"force\":true,\"none\":null}",
                "host",
                "size",
                "force",
                "none",
                "absent");
        assertEquals(Optional.of("h@b"), body.string("host"));
        assertEquals(Optional.of(3L), body.integer("size"));
        assertEquals(Optional.of(true), body.bool("force"));
        assertEquals(Optional.empty(), body.string("none"));
        assertEquals(Optional.empty(), body.string("absent"));
        assertTrue(body.has("host"));
        assertFalse(body.has("none"));
        assertEquals(Set.of("host", "size", "force", "none"), body.keys());
    }

    @Test
    void unknownKeysAre400InJsonschemasWording() {
        assertEquals(
                "Additional properties are not allowed ('x' was unexpected)",
                message(() -> JsonBody.parse("{\"host\":\"h\",\"x\":1}", "host")));
        assertEquals(
                "Additional properties are not allowed ('x', 'y' were unexpected)",
                message(() -> JsonBody.parse("{\"x\":1,\"host\":\"h\",\"y\":2}", "host")));
    }

    @Test
    void unknownKeysOfANestedObjectNameIt() {
        JsonBody body = JsonBody.parse("{\"volume\":{\"size\":1,\"colour\":\"red\"}}", "volume");
        String message = message(() -> body.object("volume", "size", "name"));
        assertEquals(
                "Invalid input for field/attribute volume. Value: {'size': 1, 'colour': 'red'}. "
                        + "Additional properties are not allowed ('colour' was unexpected)",
                message);
        assertEquals(
                Optional.of(1L),
                JsonBody.parse("{\"volume\":{\"size\":1}}", "volume")
                        .object("volume", "size")
                        .integer("size"));
        assertEquals("'volume' is a required property", message(() -> JsonBody.parse("{}", "volume")
                .object("volume")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"{", "{\"host\":}", "{\"host\":\"h\"} trailing", "{'host':'h'}", "nul", "{\"a\":1,\"a\":2}"})
    void malformedJsonIs400WithoutParserDetails(String text) {
        assertEquals("Malformed request body", message(() -> JsonBody.parse(text, "host", "a")));
    }

    @Test
    void aBodyThatIsNotAnObjectIs400() {
        assertEquals("Malformed request body: [] is not of type 'object'", message(() -> JsonBody.parse("[]", "host")));
        assertEquals(
                "Malformed request body: 'x' is not of type 'object'", message(() -> JsonBody.parse("\"x\"", "host")));
    }

    @Test
    void aMissingBodyIs400() {
        assertEquals(
                "The request body is missing: a JSON object is expected.", message(() -> JsonBody.parse(null, "host")));
        assertEquals(
                "The request body is missing: a JSON object is expected.", message(() -> JsonBody.parse(" ", "host")));
    }

    @Test
    void wrongTypesAre400NamingTheField() {
        JsonBody body = JsonBody.parse(
                "{\"host\":5,\"size\":1.5,\"flag\":\"yes\",\"big\":123456789012345678901234}",
                "host",
                "size",
                "flag",
                "big");
        assertEquals(
                "Invalid input for field/attribute host. Value: 5. 5 is not of type 'string'",
                message(() -> body.string("host")));
        assertEquals(
                "Invalid input for field/attribute size. Value: 1.5. 1.5 is not of type 'integer'",
                message(() -> body.integer("size")));
        assertEquals(
                "Invalid input for field/attribute flag. Value: 'yes'. 'yes' is not of type 'boolean'",
                message(() -> body.bool("flag")));
        assertEquals(
                HttpStatus.BAD_REQUEST,
                assertThrows(ApiException.class, () -> body.integer("big")).status());
    }

    @Test
    void arraysOfObjectsAreCheckedItemByItem() {
        JsonBody body = JsonBody.parse(
                "{\"targets\":[{\"id\":\"a\",\"at\":\"/a\"},{\"id\":\"b\"}],\"none\":[],\"x\":null}",
                "targets",
                "none",
                "x");
        List<JsonBody> targets = body.objects("targets", "id", "at");
        assertEquals(2, targets.size());
        assertEquals("a", targets.get(0).requiredString("id"));
        assertEquals(Optional.of("/a"), targets.get(0).string("at"));
        assertEquals(List.of(), body.objects("none", "id"));
        assertEquals(
                "Invalid input for field/attribute targets[1]. Value: {'id': 'b'}. 'at' is a required property",
                message(() -> targets.get(1).requiredString("at")));
        assertEquals(
                "Invalid input for field/attribute targets[0]. Value: {'id': 'a', 'at': '/a'}. Additional properties"
                        + " are not allowed ('at' was unexpected)",
                message(() -> body.objects("targets", "id")));
        assertEquals("'x' is a required property", message(() -> body.objects("x")));
        assertEquals("'absent' is a required property", message(() -> body.objects("absent")));
        assertEquals("'x' is a required property", message(() -> body.requiredString("x")));
        assertEquals(
                "Invalid input for field/attribute v. Value: 5. 5 is not of type 'array'",
                message(() -> JsonBody.parse("{\"v\":5}", "v").objects("v")));
        assertEquals(
                "Invalid input for field/attribute v[0]. Value: [1]. [1] is not of type 'object'",
                message(() -> JsonBody.parse("{\"v\":[[1]]}", "v").objects("v")));
    }

    private static String message(Runnable action) {
        ApiException e = assertThrows(ApiException.class, action::run);
        assertEquals(HttpStatus.BAD_REQUEST, e.status());
        return e.getMessage();
    }
}
