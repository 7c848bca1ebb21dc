package io.tandem.api.errors;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.http.HttpStatus;
import java.util.Map;

/**
 * The one table from gRPC status codes (common.proto's meanings) to HTTP statuses (docs/rest-api.md). A route whose
 * REST contract differs from the table for one code passes an override, e.g. {@code Map.of(Status.Code.NOT_FOUND,
 * HttpStatus.BAD_REQUEST)} where Cinder turns a missing host into invalid input; the tandem.v1 contracts already
 * return the codes Cinder's REST answers need, so today no route does.
 */
public final class GrpcStatusHttp {
    private GrpcStatusHttp() {}

    public static HttpStatus httpStatus(Status.Code code) {
        return switch (code) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ALREADY_EXISTS, ABORTED -> HttpStatus.CONFLICT;
            case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case UNIMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
                // A backend that cannot be reached, or did not answer in time: the client may retry later.
            case UNAVAILABLE, DEADLINE_EXCEEDED -> HttpStatus.SERVICE_UNAVAILABLE;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** The answer for a failed call: the table's status and the status description as the message. */
    public static ApiException toApiException(StatusRuntimeException e) {
        return toApiException(e, Map.of());
    }

    /** As {@link #toApiException(StatusRuntimeException)}, with the route's exceptions to the table. */
    public static ApiException toApiException(StatusRuntimeException e, Map<Status.Code, HttpStatus> overrides) {
        Status status = e.getStatus();
        HttpStatus http = overrides.getOrDefault(status.getCode(), httpStatus(status.getCode()));
        // Tandem services put only safe, operator-facing text in descriptions (common.proto); a 500 shows none of it
        // anyway (Faults).
        String message = status.getDescription() == null
                ? "The backend answered " + status.getCode() + " without a message."
                : status.getDescription();
        return new ApiException(http, message);
    }
}
