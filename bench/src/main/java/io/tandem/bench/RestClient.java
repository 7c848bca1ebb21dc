package io.tandem.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * api-svc as an operator's tool reaches it: JSON over HTTP at microversion 3.26 in noauth mode (admin of project
 * {@code bench}). Only what the bench needs: create a volume, fail a cluster over, read the failover journal.
 */
final class RestClient {
    private static final String PROJECT = "bench";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern PHASE = Pattern.compile("\"phase\"\\s*:\\s*\"([a-z-]+)\"");
    private static final Pattern NUMBER_ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    RestClient(int port) {
        this.base = "http://127.0.0.1:" + port + "/v3/" + PROJECT;
    }

    /** POST /volumes; the id of the volume the answer (202, status creating) describes. */
    UUID createVolume() throws IOException, InterruptedException {
        String body = send("POST", "/volumes", "{\"volume\":{\"size\":1}}", 202);
        Matcher id = ID.matcher(body);
        if (!id.find()) {
            throw new IOException("no volume id in " + body);
        }
        return UUID.fromString(id.group(1));
    }

    /** PUT /os-services/failover (3.26): 202 once the failover is claimed. */
    void failover(String cluster, String backendId) throws IOException, InterruptedException {
        send(
                "PUT",
                "/os-services/failover",
                "{\"cluster\":\"" + cluster + "\",\"backend_id\":\"" + backendId + "\"}",
                202);
    }

    /** The id and phase of the newest journal row of {@code target} (GET /tandem/failovers?target=…&limit=1). */
    String[] newestFailover(String target) throws IOException, InterruptedException {
        String body = send("GET", "/tandem/failovers?limit=1&target=" + target.replace("@", "%40"), null, 200);
        Matcher id = NUMBER_ID.matcher(body);
        Matcher phase = PHASE.matcher(body);
        if (!id.find() || !phase.find()) {
            throw new IOException("no journal row in " + body);
        }
        return new String[] {id.group(1), phase.group(1)};
    }

    private String send(String method, String path, String json, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("X-Auth-Token", "admin:" + PROJECT)
                .header("OpenStack-API-Version", "volume 3.26")
                .header("Accept", "application/json");
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
