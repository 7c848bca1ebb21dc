package io.tandem.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * api-svc's HTTP server in the test JVM on a free port, in front of whatever replication-svc address the test gives
 * (usually a {@link FakeReplication}), with a plain JDK client so that tests see status, headers and body exactly as
 * they went over the wire.
 */
public final class ApiServer implements AutoCloseable {
    static final String ENVIRONMENT = "api-test";
    private static final String REQUEST_ID = "req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiServer(ApplicationContext context) {
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
        server.start();
    }

    /** A server whose replication-svc is at {@code replicationAddress}, plus {@code overrides}. */
    public static ApiServer start(String replicationAddress, Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("tandem.api.replication-address", replicationAddress);
        properties.put("tandem.api.scheduler-address", replicationAddress);
        properties.put("tandem.api.call-timeout", "5s");
        properties.putAll(overrides);
        return new ApiServer(ApplicationContext.builder()
                .properties(properties)
                .environments(ENVIRONMENT)
                .deduceEnvironment(false)
                .start());
    }

    public static ApiServer start(String replicationAddress) {
        return start(replicationAddress, Map.of());
    }

    /** A server in token mode that knows {@code tokens} and no other. */
    public static ApiServer startWithTokens(String replicationAddress, Token... tokens) {
        return start(
                replicationAddress,
                Map.of(
                        "tandem.api.auth.strategy",
                        "token",
                        "tandem.api.auth.tokens",
                        Arrays.stream(tokens).map(Token::properties).toList()));
    }

    /** A token of token mode: who presents it, in which project, with which role. */
    public record Token(String token, String user, String project, String role) {
        private Map<String, Object> properties() {
            return Map.of("token", token, "user", user, "project", project, "roles", List.of(role));
        }
    }

    /** A request as admin in noauth mode (X-Auth-Token admin:p1), without a version header. */
    public Request request(String method, String path) {
        return new Request(method, path).header("X-Auth-Token", "admin:p1");
    }

    /** A request with no header at all. */
    public Request bare(String method, String path) {
        return new Request(method, path);
    }

    @Override
    public void close() {
        context.close();
    }

    /** Both headers every response carries, at {@code version}, and a request id in OpenStack's format. */
    public static void assertHeaders(Response response, String version) {
        assertEquals("volume " + version, response.header("OpenStack-API-Version"), response.toString());
        assertEquals("OpenStack-API-Version", response.header("Vary"), response.toString());
        String id = response.header("X-OpenStack-Request-Id");
        assertTrue(id != null && id.matches(REQUEST_ID), response.toString());
    }

    /** One request being built; {@link #send()} sends it. */
    public final class Request {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        private boolean chunked;

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Request noHeader(String name) {
            headers.remove(name);
            return this;
        }

        /** {@code OpenStack-API-Version: volume <version>}. */
        public Request version(String version) {
            return header("OpenStack-API-Version", "volume " + version);
        }

        /** A JSON body, sent as application/json unless a content type was set. */
        public Request json(String json) {
            this.body = json;
            headers.putIfAbsent("Content-Type", "application/json");
            return this;
        }

        /** Send the body chunked, without a Content-Length (a client that streams). */
        public Request chunked() {
            this.chunked = true;
            return this;
        }

        private HttpRequest.BodyPublisher publisher() {
            if (body == null) {
                return BodyPublishers.noBody();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return chunked
                    ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))
                    : BodyPublishers.ofByteArray(bytes);
        }

        public Response send() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.getPort() + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, publisher());
            headers.forEach(builder::header);
            try {
                HttpResponse<String> response = client.send(builder.build(), BodyHandlers.ofString());
                return new Response(response.statusCode(), response.headers().map(), response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** What came back. */
    public final class Response {
        public final int status;
        public final Map<String, List<String>> headers;
        public final String body;

        Response(int status, Map<String, List<String>> headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        /** The one value of header {@code name} (any case), or null. */
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> String.join(",", e.getValue()))
                    .findFirst()
                    .orElse(null);
        }

        /** The body as a JSON object. */
        public Map<String, Object> json() {
            try {
                return context.getBean(JsonMapper.class).readValue(body, Argument.mapOf(String.class, Object.class));
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** The {@code message} of a fault body {@code {"<fault>": {"code", "message"}}}, checking name and code. */
        public String fault(String name) {
            Map<String, Object> json = json();
            if (!json.containsKey(name) || json.size() != 1) {
                throw new AssertionError("expected fault " + name + ", got " + status + " " + body);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fault = (Map<String, Object>) json.get(name);
            if (((Number) fault.get("code")).intValue() != status) {
                throw new AssertionError("fault code differs from status " + status + ": " + body);
            }
            return (String) fault.get("message");
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }
}
