package io.tandem.runtime.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.micronaut.core.order.Ordered;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Takes the request id from the call's metadata (or makes one), exposes it through {@link RequestIds#current()} and
 * the log MDC while the handler runs, and returns it in the response headers so that a grpcurl user can quote it.
 */
@Singleton
public class RequestIdInterceptor implements ServerInterceptor, Ordered {
    private static final Pattern VALID = Pattern.compile("req-[0-9a-fA-F-]{36}");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String offered = headers.get(RequestIds.METADATA_KEY);
        // An id that is not ours in shape is replaced, so that log lines never carry arbitrary client text.
        String id = offered != null && VALID.matcher(offered).matches() ? offered : RequestIds.generate();
        Context context = Context.current().withValue(RequestIds.CONTEXT_KEY, id);
        ServerCall<Q, R> tagged = new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.put(RequestIds.METADATA_KEY, id);
                super.sendHeaders(responseHeaders);
            }
        };
        ServerCall.Listener<Q> listener = Contexts.interceptCall(context, tagged, headers, next);
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                withMdc(id, () -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                withMdc(id, super::onHalfClose);
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

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
