package io.tandem.systemtests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a curl user does against api-svc, in Java: one HTTP/1.1 request with a method, a path, an optional JSON body,
 * the microversion header ({@code OpenStack-API-Version: volume X.Y}) and a token ({@code X-Auth-Token}); the answer as
 * status, headers and body, parsed as JSON on demand. Immutable: {@link #withToken} gives a client with another default
 * token.
 *
 * <pre>{@code
 * Rest rest = new Rest(api.port()).withToken("admin:P");           // noauth: "<user>:<project>"
 * Rest.Response r = rest.get("/v3/P/clusters/detail", "3.26");
 * rest.request("PUT", "/v3/P/os-services/freeze").version("3.26").json(Map.of("cluster", "c@b")).send();
 * rest.request("POST", "/v3/P/volumes").body("{not json").send();  // raw body, sent as application/json
 * }</pre>
 */
final class Rest {
    static final String VERSION_HEADER = "OpenStack-API-Version";
    static final String REQUEST_ID_HEADER = "X-OpenStack-Request-Id";
    /** The shape of a request id: {@code req-<uuid>}. */
    static final Pattern REQUEST_ID =
            Pattern.compile("req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static final ObjectMapper JSON = new ObjectMapper();

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .proxy(HttpClient.Builder.NO_PROXY)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final String base;
    private final String token;

    /** A client of the api-svc listening on {@code 127.0.0.1:<port>}, sending no token. */
    Rest(int port) {
        this("http://127.0.0.1:" + port, null);
    }

    private Rest(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** This client with {@code token} as the default {@code X-Auth-Token} ({@code null}: none). */
    Rest withToken(String token) {
        return new Rest(base, token);
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    String base() {
        return base;
    }

    /** A request to build; {@code path} starts with {@code /} and may carry a query string. */
    Request request(String method, String path) {
        return new Request(method, path);
    }

    /** GET without a microversion header (so: 3.0). */
    Response get(String path) {
        return request("GET", path).send();
    }

    /** GET at {@code microversion} (e.g. "3.26", "latest"). */
    Response get(String path, String microversion) {
        return request("GET", path).version(microversion).send();
    }

    /** POST with {@code body} (a String is sent as is, anything else as JSON) at {@code microversion}. */
    Response post(String path, Object body, String microversion) {
        return request("POST", path).version(microversion).json(body).send();
    }

    /** PUT with {@code body} (a String is sent as is, anything else as JSON) at {@code microversion}. */
    Response put(String path, Object body, String microversion) {
        return request("PUT", path).version(microversion).json(body).send();
    }

    /** DELETE at {@code microversion}. */
    Response delete(String path, String microversion) {
        return request("DELETE", path).version(microversion).send();
    }

    /** JSON text for a body, from maps and lists (Jackson; {@code null} values allowed in a LinkedHashMap). */
    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value, e);
        }
    }

    /** One request being built. Nothing is sent until {@link #send()}. */
    final class Request {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String requestToken = token;
        private String body;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Request(String method, String path) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with /: " + path);
            }
            this.method = method;
            this.path = path;
        }

        /** {@code OpenStack-API-Version: volume <microversion>}; {@code null}: no header (the server's 3.0). */
        Request version(String microversion) {
            if (microversion == null) {
                headers.remove(VERSION_HEADER);
            } else {
                headers.put(VERSION_HEADER, "volume " + microversion);
            }
            return this;
        }

        /** {@code X-Auth-Token} for this request only; {@code null}: none. */
        Request token(String value) {
            this.requestToken = value;
            return this;
        }

        /** Sends no {@code X-Auth-Token}, whatever the client's default. */
        Request noToken() {
            return token(null);
        }

        /** Any other header (replaces one of the same name set here, including the microversion header). */
        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** A raw body, sent as {@code application/json} unless a Content-Type header says otherwise. */
        Request body(String raw) {
            this.body = raw;
            return this;
        }

        /** A body: a String is sent as is, anything else (maps, lists, JsonNode) serialised as JSON. */
        Request json(Object value) {
            return body(value == null ? null : value instanceof String s ? s : toJson(value));
        }

        Request timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        /** Sends it and waits for the whole answer; fails (AssertionError) only when no answer comes at all. */
        Response send() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(timeout)
                    .header("Accept", "application/json");
            if (body != null && !headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"))) {
                builder.header("Content-Type", "application/json");
            }
            if (requestToken != null) {
                builder.header("X-Auth-Token", requestToken);
            }
            headers.forEach(builder::header);
            builder.method(
                    method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            try {
                HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                return new Response(method, path, response.statusCode(), response.headers(), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + base + path + " got no answer: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: " + method + " " + path, e);
            }
        }
    }

    /** An answer: status, headers, body text; {@link #json()} parses the body (once, lazily). */
    static final class Response {
        private final String method;
        private final String path;
        private final int status;
        private final HttpHeaders headers;
        private final String body;
        private JsonNode json;

        Response(String method, String path, int status, HttpHeaders headers, String body) {
            this.method = method;
            this.path = path;
            this.status = status;
            this.headers = headers;
            this.body = body == null ? "" : body;
        }

        int status() {
            return status;
        }

        HttpHeaders headers() {
            return headers;
        }

        /** The first value of a header (names are case-insensitive). */
        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        List<String> headerValues(String name) {
            return headers.allValues(name);
        }

        String body() {
            return body;
        }

        /** The body as JSON; fails with the response in the message when it is not JSON. */
        synchronized JsonNode json() {
            if (json == null) {
                try {
                    json = JSON.readTree(body);
                } catch (JsonProcessingException e) {
                    throw new AssertionError("not JSON: " + this, e);
                }
                if (json == null || json.isMissingNode()) {
                    throw new AssertionError("empty body where JSON was expected: " + this);
                }
            }
            return json;
        }

        /** Cinder's error message, {@code {"<fault>":{"code":N,"message":"..."}}}; empty when the body has none. */
        Optional<String> faultMessage() {
            try {
                JsonNode node = JSON.readTree(body);
                if (node != null && node.isObject() && node.size() == 1) {
                    JsonNode fault = node.elements().next();
                    if (fault.has("message")) {
                        return Optional.of(fault.get("message").asText());
                    }
                }
            } catch (JsonProcessingException e) {
                // not JSON: no fault
            }
            return Optional.empty();
        }

        /** The fault's name, e.g. "badRequest"; empty when the body is not a Cinder fault. */
        Optional<String> faultName() {
            try {
                JsonNode node = JSON.readTree(body);
                if (node != null && node.isObject() && node.size() == 1) {
                    String name = node.fieldNames().next();
                    return node.get(name).has("code") ? Optional.of(name) : Optional.empty();
                }
            } catch (JsonProcessingException e) {
                // not JSON: no fault
            }
            return Optional.empty();
        }

        /** For assertion messages: the request line, status, the headers that matter here, and the body. */
        @Override
        public String toString() {
            return method + " " + path + " -> " + status
                    + " [" + REQUEST_ID_HEADER + ": "
                    + header(REQUEST_ID_HEADER).orElse("-")
                    + ", " + VERSION_HEADER + ": " + header(VERSION_HEADER).orElse("-") + "] "
                    + (body.length() > 2000 ? body.substring(0, 2000) + "..." : body);
        }
    }
}
