package io.tandem.api.auth;

import io.micronaut.http.HttpRequest;
import io.tandem.api.errors.ApiException;

/**
 * Who made a request, as {@link AuthFilter} established it. Controllers read it with {@link #of(HttpRequest)}, or
 * check it with {@link Access}.
 *
 * @param user the user id; sent to the backends as {@code x-tandem-user}
 * @param project the project the token is scoped to
 * @param admin whether the caller may use admin routes and other projects' resources
 */
public record Caller(String user, String project, boolean admin) {
    static final String ATTRIBUTE = "tandem.api.caller";

    /** The caller of an authenticated request. */
    public static Caller of(HttpRequest<?> request) {
        // Only version discovery skips authentication, and it never asks: a missing caller is a bug, not a 401.
        return request.getAttribute(ATTRIBUTE, Caller.class)
                .orElseThrow(() -> new IllegalStateException("no authenticated caller on " + request.getPath()));
    }

    /** The user to name in gRPC metadata and logs, or "unknown" before authentication. */
    public static String userOf(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Caller.class).map(Caller::user).orElse("unknown");
    }

    static ApiException unauthenticated() {
        // keystonemiddleware's wording, which OpenStack clients show as is.
        return ApiException.unauthorized("The request you have made requires authentication.");
    }
}
