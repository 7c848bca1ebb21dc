package io.tandem.api.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.tandem.runtime.grpc.RequestIds;
import java.time.Duration;

/**
 * What every call to a backend carries and how its failures read:
 *
 * <ul>
 *   <li>metadata (common.proto): the HTTP request's id as {@code x-openstack-request-id}, so the backends log it and
 *       the failover journal stores it, and the caller's user as {@code x-tandem-user};
 *   <li>a call that never reached a Tandem server (connection refused, no answer before the deadline) is reworded to
 *       name the backend and its address, so the 503 tells the operator which process to look at. A status a Tandem
 *       server sent carries the request id in its trailers (EndpointInterceptor) and is passed on unchanged: its
 *       description is the server's own.
 * </ul>
 */
final class BackendInterceptor implements ClientInterceptor {
    static final Metadata.Key<String> USER = Metadata.Key.of("x-tandem-user", Metadata.ASCII_STRING_MARSHALLER);

    private final Backend backend;
    private final String requestId;
    private final String user;
    private final Duration timeout;

    BackendInterceptor(Backend backend, String requestId, String user, Duration timeout) {
        this.backend = backend;
        this.requestId = requestId;
        this.user = printableAscii(user);
        this.timeout = timeout;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                headers.put(RequestIds.METADATA_KEY, requestId);
                headers.put(USER, user);
                super.start(
                        new SimpleForwardingClientCallListener<>(listener) {
                            @Override
                            public void onClose(Status status, Metadata trailers) {
                                super.onClose(reword(status, trailers), trailers);
                            }
                        },
                        headers);
            }
        };
    }

    private Status reword(Status status, Metadata trailers) {
        if (trailers.containsKey(RequestIds.METADATA_KEY)) {
            return status; // answered by a Tandem server
        }
        return switch (status.getCode()) {
            case UNAVAILABLE -> Status.UNAVAILABLE.withDescription(
                    backend.describe() + " is unavailable: " + reason(status));
            case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED.withDescription(
                    backend.describe() + " did not answer within " + timeout.toMillis() + " ms");
            default -> status;
        };
    }

    /** gRPC's description ("io exception") and what the transport said ("Connection refused: ..."). */
    private static String reason(Status status) {
        Throwable cause = status.getCause();
        return cause == null || cause.getMessage() == null
                ? status.getDescription()
                : status.getDescription() + " (" + cause.getMessage() + ")";
    }

    /** Metadata values must be printable ASCII; a user name from a header could be anything. */
    private static String printableAscii(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.chars().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return out.toString();
    }
}
