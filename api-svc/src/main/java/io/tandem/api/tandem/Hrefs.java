package io.tandem.api.tandem;

import io.micronaut.http.HttpRequest;

/** Absolute links to this server as the client reached it (its Host header), for the Tandem routes' answers. */
final class Hrefs {
    private Hrefs() {}

    /** {@code http://<Host>}, or the default address when the request had no Host header. */
    static String origin(HttpRequest<?> request) {
        String host = request.getHeaders().get("Host");
        return host == null ? "http://127.0.0.1:8776" : "http://" + host;
    }

    /**
     * The journal row {@code id} under the same prefix as {@code request}'s path, which ends with {@code /tandem/<last
     * segment>}: {@code /v3/p1/tandem/promote} links {@code /v3/p1/tandem/failovers/<id>}, {@code /v3/tandem/promote}
     * links {@code /v3/tandem/failovers/<id>}.
     */
    static String failover(HttpRequest<?> request, long id) {
        String path = request.getUri().getRawPath().replaceFirst("/+$", "");
        return origin(request) + path.substring(0, path.lastIndexOf('/')) + "/failovers/" + id;
    }
}
