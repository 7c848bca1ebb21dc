package io.tandem.api.errors;

import io.micronaut.http.HttpStatus;

/**
 * The one exception a controller, filter or helper throws to answer an error: a status and a message for the client.
 * {@link ErrorHandlers} renders it as Cinder's fault body. The message must be safe to show (no internals): it is
 * copied verbatim.
 */
public class ApiException extends RuntimeException {
    private final HttpStatus status;

    public ApiException(HttpStatus status, String message) {
        // No cause and no stack trace: this is an answer, not a fault to debug.
        super(message, null, false, false);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }

    /** Cinder's InvalidInput: a 400 whose message starts "Invalid input received: ". */
    public static ApiException invalidInput(String reason) {
        return badRequest("Invalid input received: " + reason);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(HttpStatus.CONFLICT, message);
    }
}
