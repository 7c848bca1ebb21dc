package io.tandem.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.http.HttpStatus;
import io.tandem.api.errors.ApiException;
import org.junit.jupiter.api.Test;

class MicroversionFilterTest {
    @Test
    void absentOrBlankIsTheMinimum() {
        assertEquals(ApiVersion.MIN, MicroversionFilter.requested(null));
        assertEquals(ApiVersion.MIN, MicroversionFilter.requested(""));
    }

    @Test
    void readsTheVolumeEntryOfAList() {
        assertEquals(new ApiVersion(3, 26), MicroversionFilter.requested("volume 3.26"));
        assertEquals(new ApiVersion(3, 7), MicroversionFilter.requested("compute 2.1, volume 3.7"));
        assertEquals(new ApiVersion(3, 7), MicroversionFilter.requested("Volume  3.7 ,identity 3.0"));
        assertEquals(ApiVersion.MAX, MicroversionFilter.requested("volume latest"));
    }

    @Test
    void aListWithoutVolumeIsTheMinimum() {
        assertEquals(ApiVersion.MIN, MicroversionFilter.requested("compute 2.60"));
    }

    @Test
    void malformedIs400() {
        assertEquals(HttpStatus.BAD_REQUEST, status("volume"));
        assertEquals(HttpStatus.BAD_REQUEST, status("volume 3.2.1"));
        assertEquals(HttpStatus.BAD_REQUEST, status("volume 3.26 3.27"));
        assertEquals(HttpStatus.BAD_REQUEST, status("volume three"));
    }

    @Test
    void outOfRangeIs406WithCindersMessage() {
        ApiException e = assertThrows(ApiException.class, () -> MicroversionFilter.requested("volume 3.27"));
        assertEquals(HttpStatus.NOT_ACCEPTABLE, e.status());
        assertEquals("Version 3.27 is not supported by the API. Minimum is 3.0 and maximum is 3.26.", e.getMessage());
        assertEquals(HttpStatus.NOT_ACCEPTABLE, status("volume 2.0"));
        assertEquals(HttpStatus.NOT_ACCEPTABLE, status("volume 4.0"));
    }

    private static HttpStatus status(String header) {
        return assertThrows(ApiException.class, () -> MicroversionFilter.requested(header))
                .status();
    }
}
