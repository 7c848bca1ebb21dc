package io.tandem.runtime.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps every error leaving an endpoint to its status code in one place, whether the endpoint threw or passed the
 * exception to {@code onError}. Endpoints therefore never build a {@link Status} themselves. An error outside Tandem's
 * hierarchy is a bug: it is logged with its stack trace and the client gets INTERNAL with the request id only.
 */
@Singleton
public class ErrorMappingInterceptor implements ServerInterceptor, Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappingInterceptor.class);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ServerCall<Q, R> mapping = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                super.close(translate(call, status), trailers);
            }
        };
        ServerCall.Listener<Q> listener = next.startCall(mapping, headers);
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onHalfClose() {
                try {
                    super.onHalfClose();
                } catch (RuntimeException e) {
                    // A unary handler that throws instead of calling onError: close the call ourselves.
                    mapping.close(Status.UNKNOWN.withCause(e), new Metadata());
                }
            }
        };
    }

    private static Status translate(ServerCall<?, ?> call, Status status) {
        Throwable cause = status.getCause();
        if (status.isOk() || cause == null) {
            return status;
        }
        return GrpcErrors.statusOf(cause).orElseGet(() -> {
            String method = call.getMethodDescriptor().getFullMethodName();
            LOG.error("Internal error in {} (request {})", method, RequestIds.current(), cause);
            return Status.INTERNAL.withDescription(
                    "Internal error; see the service log for request " + RequestIds.current());
        });
    }

    /** Outermost but one: the request id interceptor runs first so that errors are logged with it. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }
}
