package io.tandem.api.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.tandem.api.errors.ApiException;

/**
 * Authorization checks controllers call first thing. Every route but the volume routes is admin-only; volume routes
 * are scoped to the project in the path.
 */
public final class Access {
    private Access() {}

    /**
     * 403 unless the caller is an admin. {@code policy} is Cinder's policy name for the route (e.g. {@code
     * volume_extension:services:index}), quoted in the message as Cinder does.
     */
    public static Caller requireAdmin(HttpRequest<?> request, String policy) {
        Caller caller = Caller.of(request);
        if (!caller.admin()) {
            throw ApiException.forbidden("Policy doesn't allow " + policy + " to be performed.");
        }
        return caller;
    }

    /**
     * 403 when a non-admin names a project in the path that is not its token's; admins may name any project. Routes
     * without a project in the path pass {@code null}.
     */
    public static Caller requireProject(HttpRequest<?> request, @Nullable String projectId) {
        Caller caller = Caller.of(request);
        if (projectId != null && !caller.admin() && !projectId.equals(caller.project())) {
            throw ApiException.forbidden("Project " + projectId + " in the URL is not the project of this token ("
                    + caller.project() + ").");
        }
        return caller;
    }
}
