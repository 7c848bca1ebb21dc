package io.tandem.api.errors;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Renders an {@link ApiException} as Cinder's fault body. */
@Produces
@Singleton
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<?>> {
    @Override
    public HttpResponse<?> handle(HttpRequest request, ApiException exception) {
        return Faults.response(exception);
    }
}
