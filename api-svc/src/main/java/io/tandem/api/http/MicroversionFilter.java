package io.tandem.api.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.tandem.api.errors.ApiException;
import io.tandem.api.errors.Faults;
import java.util.Locale;

/**
 * Reads the microversion a client asks for from {@code OpenStack-API-Version: volume X.Y} and stores it on the request
 * ({@link ApiVersion#of}); answers every response with the version it was served at and {@code Vary}, so caches keep
 * versions apart.
 *
 * <p>The header may list several services ({@code "compute 2.1, volume 3.26"}); only {@code volume} counts, and a
 * header without it means the minimum, as when it is absent (the microversion specification). {@code latest} is the
 * maximum. A malformed version is 400; one outside [MIN, MAX] is 406 with Cinder's message. Those two errors are
 * answered at the minimum version, the one in effect when none could be read. The public paths ({@link PublicPaths})
 * ignore the header: a client learns the supported range there.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class MicroversionFilter implements Ordered {
    public static final String HEADER = "OpenStack-API-Version";
    private static final String SERVICE = "volume";

    @RequestFilter
    @Nullable
    public HttpResponse<?> read(HttpRequest<?> request) {
        if (PublicPaths.contains(request.getPath())) {
            request.setAttribute(ApiVersion.ATTRIBUTE, ApiVersion.MIN);
            return null;
        }
        try {
            request.setAttribute(
                    ApiVersion.ATTRIBUTE, requested(request.getHeaders().get(HEADER)));
            return null;
        } catch (ApiException e) {
            return withHeaders(Faults.response(e), ApiVersion.MIN);
        }
    }

    @ResponseFilter
    public void write(HttpRequest<?> request, MutableHttpResponse<?> response) {
        withHeaders(response, ApiVersion.of(request));
    }

    /** The version a header value asks for; throws the 400 or 406 answer. */
    static ApiVersion requested(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return ApiVersion.MIN;
        }
        for (String element : header.split(",")) {
            String[] parts = element.trim().split("\\s+");
            if (!parts[0].toLowerCase(Locale.ROOT).equals(SERVICE)) {
                continue;
            }
            if (parts.length != 2) {
                throw ApiException.badRequest("Invalid " + HEADER + " header '" + element.trim()
                        + "': expected 'volume <major>.<minor>' or 'volume latest'.");
            }
            ApiVersion version = ApiVersion.parse(parts[1]);
            if (!version.isSupported()) {
                throw new ApiException(
                        HttpStatus.NOT_ACCEPTABLE,
                        "Version " + version + " is not supported by the API. Minimum is " + ApiVersion.MIN
                                + " and maximum is " + ApiVersion.MAX + ".");
            }
            return version;
        }
        return ApiVersion.MIN;
    }

    private static MutableHttpResponse<?> withHeaders(MutableHttpResponse<?> response, ApiVersion version) {
        response.getHeaders().set(HEADER, SERVICE + " " + version);
        response.getHeaders().set("Vary", HEADER);
        return response;
    }

    @Override
    public int getOrder() {
        return FilterOrder.MICROVERSION;
    }
}
