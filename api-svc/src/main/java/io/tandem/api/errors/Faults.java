package io.tandem.api.errors;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cinder's error body, {@code {"<faultName>": {"code": N, "message": "..."}}}. Clients (cinderclient, the SDK) read the
 * one top-level key's {@code message}; the fault name follows Cinder's table where Cinder has one.
 */
public final class Faults {
    /** Cinder's message for a 500: never anything about the fault itself. */
    public static final String INTERNAL_MESSAGE =
            "The server has either erred or is incapable of performing the requested operation.";

    private Faults() {}

    /**
     * The fault name Cinder uses for {@code status} (its wsgi {@code Fault._fault_names}), computeFault for the rest:
     * a 406 for an unsupported microversion is computeFault there too, and clients match on these names.
     */
    public static String name(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "badRequest";
            case UNAUTHORIZED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            case NOT_FOUND -> "itemNotFound";
            case METHOD_NOT_ALLOWED -> "badMethod";
            case CONFLICT -> "conflictingRequest";
            case REQUEST_ENTITY_TOO_LARGE -> "overLimit";
            case UNSUPPORTED_MEDIA_TYPE -> "badMediaType";
            case NOT_IMPLEMENTED -> "notImplemented";
            case SERVICE_UNAVAILABLE -> "serviceUnavailable";
            default -> "computeFault";
        };
    }

    /** The body for {@code status}; a 5xx other than 501/503 always carries {@link #INTERNAL_MESSAGE}. */
    public static Map<String, Object> body(HttpStatus status, String message) {
        Map<String, Object> fault = new LinkedHashMap<>();
        fault.put("code", status.getCode());
        fault.put("message", isInternal(status) ? INTERNAL_MESSAGE : message);
        return Map.of(name(status), fault);
    }

    public static MutableHttpResponse<Map<String, Object>> response(HttpStatus status, String message) {
        return HttpResponse.<Map<String, Object>>status(status).body(body(status, message));
    }

    public static MutableHttpResponse<Map<String, Object>> response(ApiException e) {
        return response(e.status(), e.getMessage());
    }

    /** A 5xx that is a fault of ours rather than a deliberate answer (501 and 503 are deliberate and say why). */
    static boolean isInternal(HttpStatus status) {
        return status.getCode() >= 500
                && status != HttpStatus.NOT_IMPLEMENTED
                && status != HttpStatus.SERVICE_UNAVAILABLE;
    }
}
