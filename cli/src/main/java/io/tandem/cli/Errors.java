package io.tandem.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;

/**
 * The one line a failed call prints: {@code tandem: <status code>: <description>}. The description is the server's
 * (written for operators, see common.proto); when the call never reached the server, or the caller's deadline ran
 * out, it says so instead of gRPC's transport text.
 */
final class Errors {
    private Errors() {}

    static String line(String program, StatusRuntimeException e, String callee, Duration timeout) {
        Status status = e.getStatus();
        String description = Text.oneLine(status.getDescription());
        Throwable cause = status.getCause();
        if (status.getCode() == Status.Code.UNAVAILABLE && cause != null) {
            // A transport failure on this side (connection refused, unknown host): the server said nothing.
            description = "cannot reach " + callee + ": " + Text.oneLine(message(cause));
        } else if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && clientDeadline(description)) {
            description = "no answer from " + callee + " within " + Text.duration(timeout) + " (--timeout)";
        } else if (description.isEmpty() && cause != null) {
            description = Text.oneLine(message(cause));
        }
        return program + ": " + status.getCode() + (description.isEmpty() ? "" : ": " + description);
    }

    /** gRPC's own texts for a deadline the client set, as opposed to one a server reports. */
    private static boolean clientDeadline(String description) {
        return description.isEmpty()
                || description.startsWith("deadline exceeded after")
                || description.contains("CallOptions deadline");
    }

    /** The first message along the causes (Netty's, e.g. "Connection refused: /127.0.0.1:50052"). */
    private static String message(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                // "java.net.UnknownHostException: x: Name or service not known": the class name says nothing more.
                return t.getMessage().replaceFirst("^([a-z][a-z0-9_]*\\.)+[A-Za-z0-9_$]+: ", "");
            }
        }
        return cause.getClass().getSimpleName();
    }
}
