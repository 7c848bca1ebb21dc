package io.tandem.api.errors;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any exception nothing more specific handles is a bug: its stack trace goes to the log with the request id, the client
 * gets Cinder's computeFault with a fixed message. (Micronaut's own exceptions keep their handlers, which are closer
 * matches, and render through {@link FaultResponseProcessor}.)
 */
@Produces
@Singleton
public class UnexpectedExceptionHandler implements ExceptionHandler<RuntimeException, HttpResponse<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionHandler.class);

    @Override
    public HttpResponse<?> handle(HttpRequest request, RuntimeException exception) {
        // The log line carries the request id (RequestIdFilter), which the client also got in a header.
        LOG.error("Unexpected error in {} {}", request.getMethodName(), request.getPath(), exception);
        return Faults.response(HttpStatus.INTERNAL_SERVER_ERROR, Faults.INTERNAL_MESSAGE);
    }
}
