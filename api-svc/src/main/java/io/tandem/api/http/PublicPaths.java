package io.tandem.api.http;

import java.util.Set;

/**
 * The paths a client reads before it knows the server: version discovery and the OpenAPI document. They need no token
 * and ignore the requested microversion, as Cinder's version documents do — cinderclient asks for its own maximum
 * (3.70) on {@code GET /} and must learn the server's maximum there, not get a 406.
 */
public final class PublicPaths {
    /** Where api-svc serves docs/openapi.yaml. */
    public static final String OPENAPI = "/openapi.yaml";

    private static final Set<String> PATHS = Set.of("/", "/v3", "/v3/", OPENAPI);

    private PublicPaths() {}

    public static boolean contains(String path) {
        return PATHS.contains(path);
    }
}
