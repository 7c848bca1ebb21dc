package io.tandem.api.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.tandem.api.errors.Faults;
import io.tandem.api.http.FilterOrder;
import io.tandem.api.http.PublicPaths;
import java.util.Optional;

/**
 * Authenticates every request except the public paths ({@link PublicPaths}: version discovery and the OpenAPI
 * document, which clients read before they have a token): a missing or
 * unknown token is 401 before any route runs, so controllers always find a {@link Caller}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class AuthFilter implements Ordered {
    public static final String TOKEN_HEADER = "X-Auth-Token";

    private final Authenticator authenticator;

    public AuthFilter(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> authenticate(HttpRequest<?> request) {
        if (PublicPaths.contains(request.getPath())) {
            return null;
        }
        Optional<Caller> caller =
                authenticator.authenticate(request.getHeaders().get(TOKEN_HEADER));
        if (caller.isEmpty()) {
            return Faults.response(Caller.unauthenticated());
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        return null;
    }

    @Override
    public int getOrder() {
        return FilterOrder.AUTH;
    }
}
