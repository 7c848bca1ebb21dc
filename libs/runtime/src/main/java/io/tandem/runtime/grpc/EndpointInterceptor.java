package io.tandem.runtime.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What every endpoint of every service gets, in one interceptor so that no ordering between interceptors matters:
 *
 * <ul>
 *   <li>the request id: taken from the call's metadata (or made), available through {@link RequestIds#current()} and
 *       the log MDC while the handler runs, and returned in the response headers so that a grpcurl user can quote it;
 *   <li>error mapping: every error leaving the endpoint, thrown or passed to {@code onError}, becomes the status of
 *       {@link GrpcErrors}' one table. Endpoints never build a {@link Status}. An error outside Tandem's hierarchy is
 *       a bug: logged with its stack trace, answered INTERNAL with only the request id.
 * </ul>
 */
@Singleton
public class EndpointInterceptor implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointInterceptor.class);
    private static final Pattern VALID_ID = Pattern.compile("req-[0-9a-fA-F-]{36}");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String offered = headers.get(RequestIds.METADATA_KEY);
        // An id that is not ours in shape is replaced, so that log lines never carry arbitrary client text.
        String id = offered != null && VALID_ID.matcher(offered).matches() ? offered : RequestIds.generate();
        Context context = Context.current().withValue(RequestIds.CONTEXT_KEY, id);
        ServerCall<Q, R> mapped = new MappedCall<>(call, id);
        ServerCall.Listener<Q> listener = Contexts.interceptCall(context, mapped, headers, next);
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                withMdc(id, () -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                withMdc(id, () -> {
                    try {
                        super.onHalfClose();
                    } catch (RuntimeException e) {
                        // A unary handler that throws instead of calling onError: close the call ourselves.
                        mapped.close(Status.UNKNOWN.withCause(e), new Metadata());
                    }
                });
            }

            @Override
            public void onCancel() {
                withMdc(id, super::onCancel);
            }

            @Override
            public void onComplete() {
                withMdc(id, super::onComplete);
            }
        };
    }

    private static void withMdc(String id, Runnable action) {
        MDC.put(RequestIds.MDC_KEY, id);
        try {
            action.run();
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
    }

    /** Adds the request id to the response headers and translates the closing status. */
    private static final class MappedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
        private final String id;

        MappedCall(ServerCall<Q, R> call, String id) {
            super(call);
            this.id = id;
        }

        @Override
        public void sendHeaders(Metadata responseHeaders) {
            responseHeaders.put(RequestIds.METADATA_KEY, id);
            super.sendHeaders(responseHeaders);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (trailers.get(RequestIds.METADATA_KEY) == null) {
                // Errors end a call before any header is sent: the trailers carry the id then.
                trailers.put(RequestIds.METADATA_KEY, id);
            }
            super.close(translate(status), trailers);
        }

        private Status translate(Status status) {
            Throwable cause = status.getCause();
            if (status.isOk() || cause == null) {
                return status;
            }
            return GrpcErrors.statusOf(cause).orElseGet(() -> {
                String method = getMethodDescriptor().getFullMethodName();
                LOG.error("Internal error in {} (request {})", method, id, cause);
                return Status.INTERNAL.withDescription("Internal error; see the service log for request " + id);
            });
        }
    }
}
