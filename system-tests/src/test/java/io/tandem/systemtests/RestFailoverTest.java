package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The REST issue's operator scenarios over real HTTP against the whole system (RestStack: scheduler, replication, the
 * replicated cluster {@value RestStack#CLUSTER} of three members, api-svc in noauth mode): create a volume;
 * list clusters and services with the replication fields at 3.26 and without them at 3.25; fail the cluster over to
 * {@value RestStack#SECONDARY}, poll cluster show until it is failed over, fail it back to {@code default}; freeze and
 * thaw; then the same through Debian's {@code cinder} client. Each test leaves the cluster as it found it (enabled,
 * on the primary, thawed); the order only makes a failure's cascade readable.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestFailoverTest {
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static final String PROJECT = "P";
    private static final String V = "/v3/" + PROJECT;
    private static final String CLUSTER = RestStack.CLUSTER;
    private static final String SECONDARY = RestStack.SECONDARY;
    private static final String CLUSTER_SHOW = V + "/clusters/" + CLUSTER + "?binary=cinder-volume";
    private static final Set<String> MEMBERS = Set.of("r1@fs", "r2@fs", "r3@fs");
    private static final Set<String> REPLICATION_FIELDS = Set.of("replication_status", "frozen", "active_backend_id");
    private static final String FROZEN_MESSAGE = "Modification operations are not allowed on frozen storage backends.";

    private static RestStack system;
    private static Rest rest;

    @BeforeAll
    static void startTheSystem() {
        system = RestStack.start(RestFailoverTest.class, false);
        rest = system.rest(PROJECT);
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void everyResponseCarriesARequestIdAndTheMicroversionHeaders() {
        Rest.Response discovery = system.anonymous().get("/");
        String max = discovery.json().at("/versions/0/version").asText();
        assertTrue(minor(max) >= 26, "the maximum microversion is at least 3.26: " + discovery);

        List<Rest.Response> responses =
                new ArrayList<>(List.of(discovery, system.anonymous().get("/v3/")));
        List<Rest.Response> versioned = List.of(
                rest.get(V + "/os-services", "3.26"),
                rest.get(V + "/clusters", "3.26"),
                rest.get(V + "/volumes/" + UUID.randomUUID(), "3.26"),
                rest.get(V + "/clusters", "3.999"),
                system.anonymous().get(V + "/clusters", "3.26"));
        responses.addAll(versioned);
        Set<String> seen = new HashSet<>();
        for (Rest.Response response : responses) {
            String id = response.header(Rest.REQUEST_ID_HEADER)
                    .orElseThrow(() -> new AssertionError("no " + Rest.REQUEST_ID_HEADER + ": " + response));
            assertTrue(Rest.REQUEST_ID.matcher(id).matches(), "not req-<uuid>: " + response);
            assertTrue(seen.add(id), "request id " + id + " answered twice: " + response);
        }
        assertEquals(
                List.of(200, 200, 404, 406, 401),
                versioned.stream().map(Rest.Response::status).toList(),
                versioned.toString());
        for (Rest.Response response : versioned.subList(0, 3)) {
            assertEquals(Optional.of("volume 3.26"), response.header(Rest.VERSION_HEADER), response.toString());
            assertTrue(response.header("Vary").orElse("").contains(Rest.VERSION_HEADER), response.toString());
        }
        Rest.Response notAcceptable = versioned.get(3);
        assertEquals(
                Optional.of("Version 3.999 is not supported by the API. Minimum is 3.0 and maximum is " + max + "."),
                notAcceptable.faultMessage(),
                notAcceptable.toString());
    }

    @Test
    @Order(2)
    void aVolumeCreatedThroughRestBecomesAvailable() {
        Rest.Response created = rest.post(V + "/volumes", Map.of("volume", Map.of("size", 1)), "3.26");
        assertEquals(202, created.status(), created.toString());
        JsonNode volume = created.json().get("volume");
        assertEquals("creating", volume.path("status").asText(), created.toString());
        assertEquals(1, volume.path("size").asInt(), created.toString());
        String id = volume.path("id").asText();
        UUID.fromString(id);

        JsonNode available =
                awaitVolume(id, "available", v -> v.path("status").asText().equals("available"));
        assertEquals("enabled", available.path("replication_status").asText(), available.toString());
        assertEquals(PROJECT, available.path("os-vol-tenant-attr:tenant_id").asText(), available.toString());
        String host = available.path("os-vol-host-attr:host").asText();
        assertTrue(MEMBERS.contains(host.split("#")[0]), "an admin sees the host: " + available);
    }

    @Test
    @Order(3)
    void replicationFieldsAppearAt326AndNotAt325() {
        JsonNode cluster = onlyCluster(rest.get(V + "/clusters", "3.26"));
        assertEquals("cinder-volume", cluster.path("binary").asText(), cluster.toString());
        assertEquals("up", cluster.path("state").asText(), cluster.toString());
        assertEquals("enabled", cluster.path("status").asText(), cluster.toString());
        assertEquals("enabled", cluster.path("replication_status").asText(), cluster.toString());
        assertEquals(Set.of("name", "binary", "state", "status", "replication_status"), fields(cluster));
        assertEquals(
                Set.of("name", "binary", "state", "status"), fields(onlyCluster(rest.get(V + "/clusters", "3.25"))));

        JsonNode detail = onlyCluster(rest.get(V + "/clusters/detail", "3.26"));
        assertEquals(3, detail.path("num_hosts").asInt(), detail.toString());
        assertEquals(0, detail.path("num_down_hosts").asInt(), detail.toString());
        assertEquals("enabled", detail.path("replication_status").asText(), detail.toString());
        assertFalse(detail.path("frozen").asBoolean(true), detail.toString());
        assertTrue(
                detail.has("active_backend_id")
                        && detail.get("active_backend_id").isNull(),
                detail.toString());
        for (String field : List.of("last_heartbeat", "created_at", "updated_at", "disabled_reason")) {
            assertTrue(detail.has(field), field + " missing: " + detail);
        }
        JsonNode detail325 = onlyCluster(rest.get(V + "/clusters/detail", "3.25"));
        assertEquals(Set.of(), intersection(fields(detail325), REPLICATION_FIELDS), detail325.toString());
        assertEquals(3, detail325.path("num_hosts").asInt(), detail325.toString());

        JsonNode show = clusterShow("3.26");
        assertTrue(fields(show).containsAll(REPLICATION_FIELDS), show.toString());
        JsonNode show325 = clusterShow("3.25");
        assertEquals(Set.of(), intersection(fields(show325), REPLICATION_FIELDS), show325.toString());

        for (JsonNode service : volumeServices("3.26")) {
            assertEquals(CLUSTER, service.path("cluster").asText(), service.toString());
            assertEquals("enabled", service.path("replication_status").asText(), service.toString());
            assertFalse(service.path("frozen").asBoolean(true), service.toString());
            assertEquals("up", service.path("state").asText(), service.toString());
        }
    }

    @Test
    @Order(4)
    void aClusterFailsOverThroughRestAndFailsBack() {
        String volume = createAvailableVolume();

        Rest.Response over =
                rest.put(V + "/os-services/failover", Map.of("cluster", CLUSTER, "backend_id", SECONDARY), "3.26");
        assertEquals(202, over.status(), over.toString());
        assertEquals("", over.body().strip(), over.toString());
        JsonNode failedOver = awaitCluster(
                "failed-over to " + SECONDARY,
                c -> c.path("replication_status").asText().equals("failed-over")
                        && c.path("active_backend_id").asText().equals(SECONDARY));
        assertEquals(3, failedOver.path("num_hosts").asInt(), failedOver.toString());
        Eventually.await(
                SETTLE, "every member reported failed-over to " + SECONDARY, () -> volumeServices("3.26").stream()
                        .allMatch(s -> s.path("replication_status").asText().equals("failed-over")
                                && s.path("active_backend_id").asText().equals(SECONDARY)));
        awaitVolume(volume, "failed-over", v -> v.path("replication_status")
                .asText()
                .equals("failed-over"));

        Rest.Response again =
                rest.put(V + "/os-services/failover", Map.of("cluster", CLUSTER, "backend_id", SECONDARY), "3.26");
        assertEquals(400, again.status(), "already on " + SECONDARY + ": " + again);

        Rest.Response back =
                rest.put(V + "/os-services/failover", Map.of("cluster", CLUSTER, "backend_id", "default"), "3.26");
        assertEquals(202, back.status(), back.toString());
        JsonNode failedBack = awaitCluster(
                "failed back to the primary",
                c -> c.path("replication_status").asText().equals("enabled")
                        && c.path("active_backend_id").isNull());
        assertFalse(failedBack.path("frozen").asBoolean(true), failedBack.toString());
        Eventually.await(SETTLE, "every member back on the primary", () -> volumeServices("3.26").stream()
                .allMatch(s -> s.path("replication_status").asText().equals("enabled")
                        && s.path("active_backend_id").isNull()));
        awaitVolume(volume, "replication enabled again", v -> v.path("replication_status")
                .asText()
                .equals("enabled"));
    }

    @Test
    @Order(5)
    void aClusterFreezesAndThawsThroughRest() {
        String volume = createAvailableVolume();

        Rest.Response freeze = rest.put(V + "/os-services/freeze", Map.of("cluster", CLUSTER), "3.26");
        assertEquals(200, freeze.status(), freeze.toString());
        assertTrue(
                clusterShow("3.26").path("frozen").asBoolean(false),
                clusterShow("3.26").toString());
        for (JsonNode service : volumeServices("3.26")) {
            assertTrue(service.path("frozen").asBoolean(false), "the whole cluster freezes: " + service);
        }
        Rest.Response twice = rest.put(V + "/os-services/freeze", Map.of("cluster", CLUSTER), "3.26");
        assertEquals(400, twice.status(), twice.toString());

        Rest.Response refused = rest.delete(V + "/volumes/" + volume, "3.26");
        assertEquals(400, refused.status(), refused.toString());
        assertEquals(Optional.of(FROZEN_MESSAGE), refused.faultMessage(), refused.toString());
        assertEquals("available", volume(volume).path("status").asText());

        Rest.Response thaw = rest.put(V + "/os-services/thaw", Map.of("cluster", CLUSTER), "3.26");
        assertEquals(200, thaw.status(), thaw.toString());
        assertFalse(
                clusterShow("3.26").path("frozen").asBoolean(true),
                clusterShow("3.26").toString());
        for (JsonNode service : volumeServices("3.26")) {
            assertFalse(service.path("frozen").asBoolean(true), service.toString());
        }
        Rest.Response thawTwice = rest.put(V + "/os-services/thaw", Map.of("cluster", CLUSTER), "3.26");
        assertEquals(400, thawTwice.status(), thawTwice.toString());

        // A member's host stands for its whole cluster (as in Cinder), at every microversion.
        Rest.Response byHost = rest.put(V + "/os-services/freeze", Map.of("host", "r2@fs"), "3.0");
        assertEquals(200, byHost.status(), byHost.toString());
        assertTrue(
                clusterShow("3.26").path("frozen").asBoolean(false),
                clusterShow("3.26").toString());
        Rest.Response thawByHost = rest.put(V + "/os-services/thaw", Map.of("host", "r3@fs"), "3.0");
        assertEquals(200, thawByHost.status(), thawByHost.toString());
        assertFalse(
                clusterShow("3.26").path("frozen").asBoolean(true),
                clusterShow("3.26").toString());

        Rest.Response delete = rest.delete(V + "/volumes/" + volume, "3.26");
        assertEquals(202, delete.status(), delete.toString());
        awaitGone(volume);
    }

    @Test
    @Order(6)
    void theClusterParameterNeeds326AndAnUnknownClusterIs400() {
        Map<String, String> failover = Map.of("cluster", CLUSTER, "backend_id", SECONDARY);
        Rest.Response route325 = rest.put(V + "/os-services/failover", failover, "3.25");
        assertEquals(404, route325.status(), "PUT failover does not exist below 3.26: " + route325);
        Rest.Response host325 = rest.put(V + "/os-services/failover_host", failover, "3.25");
        assertEquals(400, host325.status(), "cluster refused at 3.25: " + host325);
        Rest.Response freeze325 = rest.put(V + "/os-services/freeze", Map.of("cluster", CLUSTER), "3.25");
        assertEquals(400, freeze325.status(), "cluster refused at 3.25: " + freeze325);
        Rest.Response both = rest.put(V + "/os-services/freeze", Map.of("cluster", CLUSTER, "host", "r1@fs"), "3.26");
        assertEquals(400, both.status(), both.toString());
        assertEquals(
                Optional.of("Invalid input received: One and only one of cluster and host must be set."),
                both.faultMessage(),
                both.toString());

        Rest.Response unknown =
                rest.put(V + "/os-services/failover", Map.of("cluster", "nope@fs", "backend_id", SECONDARY), "3.26");
        assertEquals(400, unknown.status(), unknown.toString());
        Rest.Response unknownFreeze = rest.put(V + "/os-services/freeze", Map.of("cluster", "nope@fs"), "3.26");
        assertEquals(400, unknownFreeze.status(), unknownFreeze.toString());
        Rest.Response unknownShow = rest.get(V + "/clusters/nope@fs?binary=cinder-volume", "3.26");
        assertEquals(404, unknownShow.status(), unknownShow.toString());

        JsonNode cluster = clusterShow("3.26");
        assertEquals("enabled", cluster.path("replication_status").asText(), "nothing changed: " + cluster);
        assertFalse(cluster.path("frozen").asBoolean(true), "nothing changed: " + cluster);
    }

    @Test
    @Order(7)
    void workersCleanupAnswers202WithTheServicesItCleans() {
        Rest.Response cleanup = rest.post(V + "/workers/cleanup", Map.of("cluster_name", CLUSTER), "3.24");
        assertEquals(202, cleanup.status(), cleanup.toString());
        // Every member is up, and by default only services that are down are cleaned.
        assertEquals(0, cleanup.json().path("cleaning").size(), cleanup.toString());
        assertEquals(0, cleanup.json().path("unavailable").size(), cleanup.toString());
        Rest.Response old = rest.post(V + "/workers/cleanup", Map.of("cluster_name", CLUSTER), "3.23");
        assertEquals(404, old.status(), "cleanup starts at 3.24: " + old);
    }

    @Test
    @Order(8)
    void theCinderClientListsClustersAndServices() {
        Cinder cinder = system.cinder(PROJECT);
        Cinder.Result clusters = cinder.run("cluster-list", "--detailed").assertOk();
        assertEquals(List.of(CLUSTER), clusters.column("Name"), clusters.toString());
        assertEquals(List.of("cinder-volume"), clusters.column("Binary"), clusters.toString());
        assertEquals(List.of("up"), clusters.column("State"), clusters.toString());
        assertEquals(List.of("enabled"), clusters.column("Status"), clusters.toString());
        assertEquals(List.of("3"), clusters.column("Num Hosts"), clusters.toString());
        assertEquals(List.of("0"), clusters.column("Num Down Hosts"), clusters.toString());

        Cinder.Result show = cinder.run("cluster-show", CLUSTER).assertOk();
        assertEquals("enabled", show.property("replication_status"), show.toString());

        Cinder.Result services = cinder.run("service-list", "--withreplication").assertOk();
        Map<String, String> binaryByHost = zip(services.column("Host"), services.column("Binary"));
        for (String member : MEMBERS) {
            assertEquals("cinder-volume", binaryByHost.get(member), services.toString());
        }
        assertEquals("cinder-scheduler", binaryByHost.get("scheduler"), services.toString());
        Map<String, String> replicationByHost = zip(services.column("Host"), services.column("Replication Status"));
        for (String member : MEMBERS) {
            assertEquals("enabled", replicationByHost.get(member), services.toString());
        }
        Map<String, String> clusterByHost = zip(services.column("Host"), services.column("Cluster"));
        for (String member : MEMBERS) {
            assertEquals(CLUSTER, clusterByHost.get(member), services.toString());
        }
    }

    @Test
    @Order(9)
    void theCinderClientFailsOverFreezesAndThawsAHost() {
        Cinder cinder = system.cinder(PROJECT);
        cinder.run("failover-host", "r1@fs", "--backend_id", SECONDARY).assertOk();
        awaitCluster(
                "failed-over to " + SECONDARY + " by cinder failover-host",
                c -> c.path("replication_status").asText().equals("failed-over")
                        && c.path("active_backend_id").asText().equals(SECONDARY));
        Eventually.await(SETTLE, "cinder service-list to show every member failed over", () -> {
            Cinder.Result services = cinder.run("service-list", "--withreplication", "--binary", "cinder-volume")
                    .assertOk();
            Map<String, String> status = zip(services.column("Host"), services.column("Replication Status"));
            Map<String, String> backend = zip(services.column("Host"), services.column("Active Backend ID"));
            return MEMBERS.stream()
                    .allMatch(m -> "failed-over".equals(status.get(m)) && SECONDARY.equals(backend.get(m)));
        });

        cinder.run("failover-host", "r2@fs", "--backend_id", "default").assertOk();
        awaitCluster(
                "failed back by cinder failover-host",
                c -> c.path("replication_status").asText().equals("enabled")
                        && c.path("active_backend_id").isNull());

        cinder.run("freeze-host", "r3@fs").assertOk();
        assertTrue(clusterShow("3.26").path("frozen").asBoolean(false), "freeze-host froze the cluster");
        Cinder.Result frozen = cinder.run("service-list", "--withreplication", "--binary", "cinder-volume")
                .assertOk();
        Map<String, String> frozenByHost = zip(frozen.column("Host"), frozen.column("Frozen"));
        for (String member : MEMBERS) {
            assertEquals("True", frozenByHost.get(member), frozen.toString());
        }
        Cinder.Result twice = cinder.run("freeze-host", "r3@fs");
        assertTrue(twice.exitCode() != 0, "freezing a frozen host fails: " + twice);
        assertTrue(twice.stderr().contains("(HTTP 400)"), twice.toString());

        cinder.run("thaw-host", "r1@fs").assertOk();
        assertFalse(clusterShow("3.26").path("frozen").asBoolean(true), "thaw-host thawed the cluster");
    }

    @Test
    @Order(10)
    void theCinderClientRunsAWorkersCleanup() {
        Cinder.Result cleanup =
                system.cinder(PROJECT).run("work-cleanup", "--cluster", CLUSTER).assertOk();
        assertTrue(cleanup.stdout().contains("No cleanable services matched cleanup criteria."), cleanup.toString());
    }

    @Test
    @Order(11)
    void theCinderClientCreatesListsShowsAndDeletesAVolume() {
        Cinder cinder = system.cinder(PROJECT);
        Cinder.Result created =
                cinder.run("create", "--name", "cli-volume", "1").assertOk();
        String id = created.property("id");
        assertTrue(id != null && !id.isEmpty(), created.toString());
        UUID.fromString(id);
        assertEquals("1", created.property("size"), created.toString());
        assertEquals("cli-volume", created.property("name"), created.toString());

        Eventually.await(SETTLE, "cinder show " + id + " to say available", () -> "available"
                .equals(cinder.run("show", id).assertOk().property("status")));
        Cinder.Result list = cinder.run("list").assertOk();
        Map<String, String> statusById = zip(list.column("ID"), list.column("Status"));
        assertEquals("available", statusById.get(id), list.toString());
        assertEquals("cli-volume", zip(list.column("ID"), list.column("Name")).get(id), list.toString());

        Cinder.Result show = cinder.run("show", "cli-volume").assertOk();
        assertEquals(id, show.property("id"), "show by name: " + show);

        Cinder.Result delete = cinder.run("delete", id).assertOk();
        assertTrue(
                delete.stdout().contains("Request to delete volume " + id + " has been accepted."), delete.toString());
        awaitGone(id);
        Cinder.Result missing = cinder.run("show", id);
        assertTrue(missing.exitCode() != 0, "show of a deleted volume fails: " + missing);
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private static int minor(String version) {
        return Integer.parseInt(version.substring(version.indexOf('.') + 1));
    }

    private static JsonNode onlyCluster(Rest.Response response) {
        assertEquals(200, response.status(), response.toString());
        JsonNode clusters = response.json().path("clusters");
        assertEquals(1, clusters.size(), response.toString());
        JsonNode cluster = clusters.get(0);
        assertEquals(CLUSTER, cluster.path("name").asText(), response.toString());
        return cluster;
    }

    private static JsonNode clusterShow(String version) {
        Rest.Response show = rest.get(CLUSTER_SHOW, version);
        assertEquals(200, show.status(), show.toString());
        JsonNode cluster = show.json().path("cluster");
        assertEquals(CLUSTER, cluster.path("name").asText(), show.toString());
        return cluster;
    }

    /** Polls cluster show at 3.26 until {@code condition} holds; returns that cluster. */
    private static JsonNode awaitCluster(String what, Predicate<JsonNode> condition) {
        return Eventually.awaitValue(SETTLE, CLUSTER + " " + what, () -> {
            JsonNode cluster = clusterShow("3.26");
            return condition.test(cluster) ? Optional.of(cluster) : Optional.empty();
        });
    }

    /** The volume services of {@value RestStack#CLUSTER}, exactly its three members. */
    private static List<JsonNode> volumeServices(String version) {
        Rest.Response response = rest.get(V + "/os-services?binary=cinder-volume", version);
        assertEquals(200, response.status(), response.toString());
        List<JsonNode> services = new ArrayList<>();
        response.json().path("services").forEach(services::add);
        assertEquals(
                MEMBERS,
                Set.copyOf(services.stream().map(s -> s.path("host").asText()).toList()),
                response.toString());
        return services;
    }

    private static JsonNode volume(String id) {
        Rest.Response response = rest.get(V + "/volumes/" + id, "3.26");
        assertEquals(200, response.status(), response.toString());
        return response.json().path("volume");
    }

    private static JsonNode awaitVolume(String id, String what, Predicate<JsonNode> condition) {
        return Eventually.awaitValue(SETTLE, "volume " + id + " " + what, () -> {
            JsonNode volume = volume(id);
            if (volume.path("status").asText().startsWith("error")) {
                throw new AssertionError("volume " + id + " failed: " + volume + "\n" + system.diagnostics());
            }
            return condition.test(volume) ? Optional.of(volume) : Optional.empty();
        });
    }

    private static String createAvailableVolume() {
        Rest.Response created = rest.post(V + "/volumes", Map.of("volume", Map.of("size", 1)), "3.26");
        assertEquals(202, created.status(), created.toString());
        String id = created.json().at("/volume/id").asText();
        awaitVolume(id, "available", v -> v.path("status").asText().equals("available"));
        return id;
    }

    private static void awaitGone(String id) {
        Eventually.await(
                SETTLE,
                "volume " + id + " deleted (404)",
                () -> rest.get(V + "/volumes/" + id, "3.26").status() == 404);
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }

    private static Map<String, String> zip(List<String> keys, List<String> values) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            map.put(keys.get(i), values.get(i));
        }
        return map;
    }
}
