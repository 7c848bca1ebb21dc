package io.tandem.api.versions;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.tandem.api.http.ApiVersion;
import java.util.List;
import java.util.Map;

/**
 * Version discovery, as Cinder serves it: {@code GET /} answers 300 Multiple Choices and {@code GET /v3/} answers 200,
 * both with the same document. Clients read {@code version} (the maximum microversion) from it before anything else,
 * so it needs no token.
 */
@Controller
public class VersionsController {
    private static final String UPDATED = "2026-11-22T00:00:00Z";

    @Get("/")
    HttpResponse<Map<String, Object>> root(HttpRequest<?> request) {
        return HttpResponse.<Map<String, Object>>status(HttpStatus.MULTIPLE_CHOICES)
                .body(document(request));
    }

    @Get("/v3")
    HttpResponse<Map<String, Object>> v3(HttpRequest<?> request) {
        return HttpResponse.ok(document(request));
    }

    private static Map<String, Object> document(HttpRequest<?> request) {
        String base = request.getHeaders().get("Host") == null
                ? "http://127.0.0.1:8776"
                : "http://" + request.getHeaders().get("Host");
        Map<String, Object> v3 = Map.of(
                "id",
                "v3.0",
                "links",
                List.of(Map.of("href", base + "/v3/", "rel", "self")),
                "media-types",
                List.of(Map.of(
                        "base", "application/json",
                        "type", "application/vnd.openstack.volume+json;version=3")),
                "min_version",
                ApiVersion.MIN.toString(),
                "status",
                "CURRENT",
                "updated",
                UPDATED,
                "version",
                ApiVersion.MAX.toString());
        return Map.of("versions", List.of(v3));
    }
}
