package io.tandem.replication.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;

/**
 * The caller's user id from the {@code x-tandem-user} metadata (common.proto), stored as the failover journal's
 * requested_by. Absent, or not a plausible user id, is {@code unknown}. Only puts a value in the call's context, so
 * its order relative to the runtime's interceptor does not matter.
 */
@Singleton
public class Callers implements ServerInterceptor {
    /** Metadata key of the caller's user id. */
    public static final Metadata.Key<String> USER_KEY =
            Metadata.Key.of("x-tandem-user", Metadata.ASCII_STRING_MARSHALLER);
    /** What requested_by holds when the caller did not say. */
    public static final String UNKNOWN = "unknown";

    private static final Context.Key<String> USER = Context.key("tandem-user");
    // Keystone user ids and names: printable, no spaces or control characters; long enough for any of them.
    private static final Pattern PLAUSIBLE = Pattern.compile("[\\x21-\\x7e]{1,255}");

    /** The user of the call being served on this thread. */
    public static String current() {
        String user = USER.get();
        return user == null ? UNKNOWN : user;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String offered = headers.get(USER_KEY);
        String user = offered != null && PLAUSIBLE.matcher(offered).matches() ? offered : UNKNOWN;
        return Contexts.interceptCall(Context.current().withValue(USER, user), call, headers, next);
    }
}
