package io.tandem.api.errors;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Errors Micronaut answers itself (no route: 404; wrong method: 405; body over the size limit: 413; unsupported
 * content type: 415; unconvertible parameters: 400; and anything that failed outside our handlers: 500) get Cinder's
 * fault body too. Replaces Micronaut's default processor (it steps aside when another one exists).
 */
@Singleton
public class FaultResponseProcessor implements ErrorResponseProcessor<Map<String, Object>> {
    @Override
    public MutableHttpResponse<Map<String, Object>> processResponse(
            ErrorContext errorContext, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        String message =
                switch (status) {
                        // Micronaut says "Page Not Found"; Cinder's wording is what clients have seen.
                    case NOT_FOUND -> "The resource could not be found.";
                    case REQUEST_ENTITY_TOO_LARGE -> "Request is too large: " + firstMessage(errorContext, status);
                    default -> firstMessage(errorContext, status);
                };
        // Faults.body replaces the message of a 500 with the fixed one: Micronaut's would name the exception.
        return response.contentType("application/json").body(Faults.body(status, message));
    }

    private static String firstMessage(ErrorContext context, HttpStatus status) {
        return context.getErrors().stream()
                .map(Error::getMessage)
                .filter(m -> m != null && !m.isBlank())
                .findFirst()
                .orElse(status.getReason());
    }
}
