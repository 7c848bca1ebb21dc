package io.tandem.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpStatus;
import io.tandem.api.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiVersionTest {
    @Test
    void parsesMajorMinorAndLatest() {
        assertEquals(new ApiVersion(3, 26), ApiVersion.parse("3.26"));
        assertEquals(new ApiVersion(3, 0), ApiVersion.parse("3.0"));
        assertEquals(ApiVersion.MAX, ApiVersion.parse("latest"));
        assertEquals("3.26", ApiVersion.MAX.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "3.", ".5", "3.01", "03.1", "3.1.1", "v3.1", "3.x", "", " 3.1", "LATEST"})
    void malformedVersionsAre400WithCindersMessage(String text) {
        ApiException e = assertThrows(ApiException.class, () -> ApiVersion.parse(text));
        assertEquals(HttpStatus.BAD_REQUEST, e.status());
        assertEquals(
                "API Version String " + text + " is of invalid format. Must be of format MajorNum.MinorNum.",
                e.getMessage());
    }

    @Test
    void comparesNumericallyNotAsText() {
        assertTrue(new ApiVersion(3, 26).compareTo(new ApiVersion(3, 7)) > 0);
        assertTrue(new ApiVersion(3, 9).compareTo(new ApiVersion(3, 10)) < 0);
        assertTrue(new ApiVersion(4, 0).compareTo(new ApiVersion(3, 99)) > 0);
        assertTrue(ApiVersion.parse("3.26").atLeast(ApiVersion.REPLICATION_CLUSTER));
        assertFalse(ApiVersion.parse("3.25").atLeast(ApiVersion.REPLICATION_CLUSTER));
    }

    @Test
    void supportedRangeIsMinToMax() {
        assertTrue(ApiVersion.parse("3.0").isSupported());
        assertTrue(ApiVersion.parse("3.26").isSupported());
        assertFalse(ApiVersion.parse("3.27").isSupported());
        assertFalse(ApiVersion.parse("2.0").isSupported());
        assertFalse(ApiVersion.parse("4.0").isSupported());
    }

    @Test
    void aRouteBelowItsVersionIsNotFound() {
        ApiException e = assertThrows(
                ApiException.class, () -> ApiVersion.parse("3.25").require(ApiVersion.REPLICATION_CLUSTER));
        assertEquals(HttpStatus.NOT_FOUND, e.status());
        ApiVersion.parse("3.26").require(ApiVersion.REPLICATION_CLUSTER);
    }
}
