package io.tandem.runtime.grpc;

import io.grpc.Context;
import io.grpc.Metadata;
import java.util.UUID;

/**
 * The OpenStack request id ({@code req-<uuid>}) that follows one operator request through every service: api-svc
 * sends it as metadata, each server puts it in the gRPC context and the log MDC, and clients forward it on their
 * outgoing calls.
 */
public final class RequestIds {
    /** Metadata key, the lower-cased HTTP header name used by OpenStack. */
    public static final Metadata.Key<String> METADATA_KEY =
            Metadata.Key.of("x-openstack-request-id", Metadata.ASCII_STRING_MARSHALLER);
    /** MDC key, used in the log pattern. */
    public static final String MDC_KEY = "requestId";

    static final Context.Key<String> CONTEXT_KEY = Context.key("tandem-request-id");

    private RequestIds() {}

    /** A new id in OpenStack's format. */
    public static String generate() {
        return "req-" + UUID.randomUUID();
    }

    /** The id of the call being served on this thread, or {@code "-"} outside a call. */
    public static String current() {
        String id = CONTEXT_KEY.get();
        return id == null ? "-" : id;
    }
}
