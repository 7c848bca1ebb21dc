package io.tandem.api.errors;

import io.grpc.StatusRuntimeException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC call that a controller let fail: answered through {@link GrpcStatusHttp}'s table, so controllers need not
 * catch anything unless their route overrides the table.
 */
@Produces
@Singleton
public class GrpcExceptionHandler implements ExceptionHandler<StatusRuntimeException, HttpResponse<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcExceptionHandler.class);

    @Override
    public HttpResponse<?> handle(HttpRequest request, StatusRuntimeException exception) {
        ApiException answer = GrpcStatusHttp.toApiException(exception);
        if (answer.status().getCode() >= 500) {
            // The client sees a fixed message (or the 503's reason); the operator finds the status here, by the
            // request id the log line carries (RequestIdFilter).
            LOG.warn("{} {}: backend answered {}", request.getMethodName(), request.getPath(), exception.getStatus());
        }
        return Faults.response(answer);
    }
}
