package io.tandem.api.clusters;

import static io.tandem.api.ApiServer.assertHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.tandem.api.AgainstFakeBackend;
import io.tandem.api.ApiServer;
import io.tandem.api.ApiServer.Response;
import io.tandem.api.ApiServer.Token;
import io.tandem.api.FakeReplication;
import io.tandem.proto.v1.Cluster;
import io.tandem.proto.v1.DisableClusterRequest;
import io.tandem.proto.v1.DisableClusterResponse;
import io.tandem.proto.v1.EnableClusterRequest;
import io.tandem.proto.v1.EnableClusterResponse;
import io.tandem.proto.v1.GetClusterRequest;
import io.tandem.proto.v1.GetClusterResponse;
import io.tandem.proto.v1.ListClustersRequest;
import io.tandem.proto.v1.ListClustersResponse;
import io.tandem.proto.v1.ReplicationStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The clusters routes over HTTP against a fake replication-svc: shapes at 3.7 and 3.26, every filter, the gates at
 * 3.6/3.7 and 3.25/3.26, each documented error, with and without a project id in the path.
 */
class ClustersHttpTest extends AgainstFakeBackend<FakeReplication> {
    // 2016-06-01T02:46:28Z, Cinder's sample date.
    private static final Timestamp SAMPLE =
            Timestamp.newBuilder().setSeconds(1_464_749_188L).build();
    private static final Cluster FAILED_OVER = Cluster.newBuilder()
            .setName("cluster1@fs1")
            .setBinary("volume")
            .setIsUp(true)
            .setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_FAILED_OVER)
            .setActiveBackendId("secondary")
            .setEpoch(2)
            .setNumHosts(3)
            .setNumDownHosts(1)
            .setLastHeartbeat(Timestamp.newBuilder().setSeconds(1_464_749_188L).setNanos(250_000_000))
            .setCreatedAt(SAMPLE)
            .setUpdatedAt(SAMPLE)
            .build();
    // Never seen, never updated: its dates render as "".
    private static final Cluster NEW = Cluster.newBuilder()
            .setName("cluster2@fs2")
            .setBinary("volume")
            .setDisabled(true)
            .setDisabledReason("maintenance")
            .setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_NOT_CAPABLE)
            .setFrozen(true)
            .setCreatedAt(SAMPLE)
            .build();

    private final ApiServer members = startWithTokens(new Token("mem-secret", "bob", "p1", "member"));

    ClustersHttpTest() {
        super(new FakeReplication());
    }

    @BeforeEach
    void answerWithTheSamples() {
        fake.answer(
                "ListClusters",
                ListClustersResponse.newBuilder()
                        .addClusters(FAILED_OVER)
                        .addClusters(NEW)
                        .build());
    }

    // --- GET clusters, clusters/detail

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void listsSummariesAt37(String prefix) {
        Response response =
                api.request("GET", prefix + "/clusters").version("3.7").send();
        assertEquals(200, response.status, response.toString());
        assertHeaders(response, "3.7");
        assertEquals(
                Map.of(
                        "clusters",
                        List.of(
                                Map.of(
                                        "name", "cluster1@fs1",
                                        "binary", "cinder-volume",
                                        "state", "up",
                                        "status", "enabled"),
                                Map.of(
                                        "name", "cluster2@fs2",
                                        "binary", "cinder-volume",
                                        "state", "down",
                                        "status", "disabled"))),
                response.json());
        assertEquals(
                ListClustersRequest.getDefaultInstance(),
                fake.only("ListClusters").request());
    }

    @Test
    void summariesCarryTheReplicationStatusAt326() {
        assertEquals(List.of("failed-over", "not-capable"), field(clusters("/clusters", "3.26"), "replication_status"));
        assertTrue(clusters("/clusters", "3.25").stream().noneMatch(c -> c.containsKey("replication_status")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void listsDetailsAt37WithEmptyStringsForMissingDates(String prefix) {
        Response response =
                api.request("GET", prefix + "/clusters/detail").version("3.7").send();
        assertEquals(200, response.status, response.toString());
        assertEquals(Map.of("clusters", List.of(detail37(FAILED_OVER_DETAIL), detail37(NEW_DETAIL))), response.json());
        assertEquals(
                ListClustersRequest.getDefaultInstance(),
                fake.only("ListClusters").request());
    }

    @Test
    void detailsCarryTheReplicationFieldsAt326() {
        Response response =
                api.request("GET", "/v3/p1/clusters/detail").version("3.26").send();
        assertEquals(200, response.status, response.toString());
        assertHeaders(response, "3.26");
        assertEquals(Map.of("clusters", List.of(FAILED_OVER_DETAIL, NEW_DETAIL)), response.json());
        assertTrue(clusters("/clusters/detail", "3.25").stream()
                .noneMatch(c -> c.containsKey("replication_status")
                        || c.containsKey("frozen")
                        || c.containsKey("active_backend_id")));
    }

    @Test
    void everyFilterReachesReplicationSvcInTandemsTerms() {
        Response at37 = api.request(
                        "GET",
                        "/v3/p1/clusters/detail?name=cluster1@fs1&binary=cinder-volume&is_up=yes&disabled=0"
                                + "&num_hosts=3&num_down_hosts=0")
                .version("3.7")
                .send();
        assertEquals(200, at37.status, at37.toString());
        assertEquals(
                ListClustersRequest.newBuilder()
                        .setName("cluster1@fs1")
                        .setBinary("volume")
                        .setIsUp(true)
                        .setDisabled(false)
                        .setNumHosts(3)
                        .setNumDownHosts(0)
                        .build(),
                fake.only("ListClusters").request());
        fake.reset();
        Response at326 = api.request(
                        "GET",
                        "/v3/clusters?replication_status=failed-over&frozen=No&active_backend_id=secondary"
                                + "&name=cluster1%40fs1")
                .version("3.26")
                .send();
        assertEquals(200, at326.status, at326.toString());
        assertEquals(
                ListClustersRequest.newBuilder()
                        .setName("cluster1@fs1")
                        .setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_FAILED_OVER)
                        .setFrozen(false)
                        .setActiveBackendId("secondary")
                        .build(),
                fake.only("ListClusters").request());
    }

    @Test
    void anEmptyActiveBackendIdFiltersClustersOnTheirPrimary() {
        api.request("GET", "/v3/clusters?active_backend_id=").version("3.26").send();
        ListClustersRequest sent =
                (ListClustersRequest) fake.only("ListClusters").request();
        assertTrue(sent.hasActiveBackendId());
        assertEquals("", sent.getActiveBackendId());
    }

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", "1,true", "yes,true", "Yes,true", "false,false", "0,false", "no,false"})
    void booleansTakeCindersSpellingsFrozenToo(String text, boolean value) {
        Response response = api.request("GET", "/v3/clusters?is_up=" + text + "&disabled=" + text + "&frozen=" + text)
                .version("3.26")
                .send();
        assertEquals(200, response.status, response.toString());
        assertEquals(
                ListClustersRequest.newBuilder()
                        .setIsUp(value)
                        .setDisabled(value)
                        .setFrozen(value)
                        .build(),
                fake.only("ListClusters").request());
    }

    @Test
    void invalidFilterKeysAre400() {
        assertListError("3.26", "foo=1", "Invalid filter keys: foo");
        assertListError("3.26", "zeta=1&alpha=2&name=x", "Invalid filter keys: alpha, zeta");
        // The replication filters do not exist below 3.26.
        for (String key : List.of("replication_status", "frozen", "active_backend_id")) {
            assertListError("3.25", key + "=x", "Invalid filter keys: " + key);
        }
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    @Test
    void invalidFilterValuesAre400() {
        assertListError("3.7", "is_up=maybe", "Invalid value 'maybe' for is_up: must be a boolean.");
        assertListError("3.7", "disabled=", "Invalid value '' for disabled: must be a boolean.");
        assertListError("3.26", "frozen=2", "Invalid value '2' for frozen: must be a boolean.");
        assertListError("3.7", "num_hosts=-1", "Invalid value '-1' for num_hosts: must be a non-negative integer.");
        assertListError(
                "3.7", "num_down_hosts=x", "Invalid value 'x' for num_down_hosts: must be a non-negative integer.");
        assertListError(
                "3.7",
                "num_hosts=99999999999",
                "Invalid value '99999999999' for num_hosts: must be a non-negative integer.");
        Response status = api.request("GET", "/v3/clusters?replication_status=sideways")
                .version("3.26")
                .send();
        assertEquals(400, status.status, status.toString());
        assertTrue(status.fault("badRequest").startsWith("Invalid value 'sideways' for replication_status"));
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    @Test
    void anEmptyListIsAnEmptyArray() {
        fake.answer("ListClusters", ListClustersResponse.getDefaultInstance());
        assertEquals(
                Map.of("clusters", List.of()),
                api.request("GET", "/v3/clusters/detail").version("3.7").send().json());
    }

    // --- GET clusters/{name}

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1/clusters/cluster1@fs1", "/v3/clusters/cluster1%40fs1"})
    void showsOneClusterOfTheDefaultBinary(String path) {
        fake.answer(
                "GetCluster",
                GetClusterResponse.newBuilder().setCluster(FAILED_OVER).build());
        Response response = api.request("GET", path).version("3.7").send();
        assertEquals(200, response.status, response.toString());
        assertHeaders(response, "3.7");
        assertEquals(Map.of("cluster", detail37(FAILED_OVER_DETAIL)), response.json());
        assertEquals(
                GetClusterRequest.newBuilder()
                        .setName("cluster1@fs1")
                        .setBinary("volume")
                        .build(),
                fake.only("GetCluster").request());
    }

    @Test
    void showTakesABinaryAndTheReplicationFieldsAt326() {
        fake.answer(
                "GetCluster", GetClusterResponse.newBuilder().setCluster(NEW).build());
        Response response = api.request("GET", "/v3/p1/clusters/cluster2@fs2?binary=cinder-scheduler")
                .version("3.26")
                .send();
        assertEquals(200, response.status, response.toString());
        assertEquals(Map.of("cluster", NEW_DETAIL), response.json());
        assertEquals(
                GetClusterRequest.newBuilder()
                        .setName("cluster2@fs2")
                        .setBinary("scheduler")
                        .build(),
                fake.only("GetCluster").request());
    }

    @Test
    void anUnknownClusterIs404() {
        fake.fail("GetCluster", Status.NOT_FOUND.withDescription("no such cluster"));
        Response response = api.request("GET", "/v3/p1/clusters/cluster9@fs1")
                .version("3.7")
                .send();
        assertEquals(404, response.status, response.toString());
        assertEquals("Cluster cluster9@fs1 could not be found.", response.fault("itemNotFound"));
        assertHeaders(response, "3.7");
    }

    @Test
    void aBackendThatIsDownIs503() {
        fake.fail("GetCluster", Status.UNAVAILABLE.withDescription("etcd unreachable"));
        assertEquals(
                503,
                api.request("GET", "/v3/clusters/cluster1@fs1").version("3.7").send().status);
        fake.fail("ListClusters", Status.UNAVAILABLE.withDescription("etcd unreachable"));
        assertEquals(503, api.request("GET", "/v3/clusters").version("3.7").send().status);
    }

    // --- PUT clusters/enable, clusters/disable

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void enableAnswersTheClusterAfterTheChange(String prefix) {
        fake.answer(
                "EnableCluster",
                EnableClusterResponse.newBuilder().setCluster(FAILED_OVER).build());
        Response response = api.request("PUT", prefix + "/clusters/enable")
                .version("3.7")
                .json("{\"name\": \"cluster1@fs1\"}")
                .send();
        assertEquals(200, response.status, response.toString());
        assertHeaders(response, "3.7");
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("name", "cluster1@fs1");
        cluster.put("binary", "cinder-volume");
        cluster.put("state", "up");
        cluster.put("status", "enabled");
        cluster.put("disabled_reason", null);
        assertEquals(Map.of("cluster", cluster), response.json());
        assertEquals(
                EnableClusterRequest.newBuilder()
                        .setName("cluster1@fs1")
                        .setBinary("volume")
                        .build(),
                fake.only("EnableCluster").request());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void disableStoresTheReason(String prefix) {
        Cluster disabled = FAILED_OVER.toBuilder()
                .setDisabled(true)
                .setDisabledReason("maintenance")
                .build();
        fake.answer(
                "DisableCluster",
                DisableClusterResponse.newBuilder().setCluster(disabled).build());
        Response response = api.request("PUT", prefix + "/clusters/disable")
                .version("3.26")
                .json(
                        "{\"name\": \"cluster1@fs1\", \"binary\": \"cinder-volume\", \"disabled_reason\": \" maintenance \"}")
                .send();
        assertEquals(200, response.status, response.toString());
        // At 3.26 the summary carries replication_status, as Cinder's update answer does.
        assertEquals(
                Map.of(
                        "cluster",
                        Map.of(
                                "name", "cluster1@fs1",
                                "binary", "cinder-volume",
                                "state", "up",
                                "status", "disabled",
                                "replication_status", "failed-over",
                                "disabled_reason", "maintenance")),
                response.json());
        assertEquals(
                DisableClusterRequest.newBuilder()
                        .setName("cluster1@fs1")
                        .setBinary("volume")
                        .setDisabledReason("maintenance")
                        .build(),
                fake.only("DisableCluster").request());
        fake.reset();
        api.request("PUT", prefix + "/clusters/disable")
                .version("3.7")
                .json("{\"name\": \"cluster1@fs1\", \"binary\": null, \"disabled_reason\": null}")
                .send();
        assertEquals(
                DisableClusterRequest.newBuilder()
                        .setName("cluster1@fs1")
                        .setBinary("volume")
                        .build(),
                fake.only("DisableCluster").request());
    }

    @Test
    void enablingOrDisablingAnUnknownClusterIs404() {
        fake.fail("EnableCluster", Status.NOT_FOUND.withDescription("Cluster cluster9@fs1 could not be found."));
        fake.fail("DisableCluster", Status.NOT_FOUND.withDescription("Cluster cluster9@fs1 could not be found."));
        for (String route : List.of("enable", "disable")) {
            Response response = api.request("PUT", "/v3/p1/clusters/" + route)
                    .version("3.7")
                    .json("{\"name\": \"cluster9@fs1\"}")
                    .send();
            assertEquals(404, response.status, route + " " + response);
            assertEquals("Cluster cluster9@fs1 could not be found.", response.fault("itemNotFound"));
        }
    }

    @Test
    void enableAndDisableCheckTheirBodies() {
        assertBodyError("enable", "{}", "'name' is a required property");
        assertBodyError("disable", "{\"binary\": \"cinder-volume\"}", "'name' is a required property");
        assertBodyError(
                "enable", "{\"name\": \"\"}", "Invalid input for field/attribute name. Value: ''. '' is too short");
        assertBodyError(
                "enable",
                "{\"name\": 7}",
                "Invalid input for field/attribute name. Value: 7. 7 is not of type 'string'");
        assertBodyError(
                "enable",
                "{\"name\": \"c@b\", \"disabled_reason\": \"x\"}",
                "Additional properties are not allowed ('disabled_reason' was unexpected)");
        assertBodyError(
                "disable",
                "{\"name\": \"c@b\", \"reason\": \"x\"}",
                "Additional properties are not allowed ('reason' was unexpected)");
        assertBodyError("disable", "{\"name\": \"c@b\", \"disabled_reason\": \"" + "x".repeat(256) + "\"}", null);
        assertBodyError("disable", "{\"name\": \"c@b\", \"disabled_reason\": \"  \"}", null);
        assertBodyError("enable", "{\"name\": ", "Malformed request body");
        assertBodyError("enable", "[]", null);
        assertBodyError("disable", null, null);
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    // --- gates and access

    @Test
    void noClustersRouteExistsBelow37() {
        for (String prefix : List.of("/v3/p1", "/v3")) {
            for (String[] route : List.of(
                    new String[] {"GET", "/clusters"},
                    new String[] {"GET", "/clusters/detail"},
                    new String[] {"GET", "/clusters/cluster1@fs1"},
                    new String[] {"PUT", "/clusters/enable"},
                    new String[] {"PUT", "/clusters/disable"})) {
                Response response = api.request(route[0], prefix + route[1])
                        .version("3.6")
                        .json("{\"name\": \"cluster1@fs1\"}")
                        .send();
                assertEquals(404, response.status, route[0] + " " + prefix + route[1] + " " + response);
                assertEquals("The resource could not be found.", response.fault("itemNotFound"));
                assertHeaders(response, "3.6");
            }
        }
        // No header is 3.0.
        assertEquals(404, api.request("GET", "/v3/clusters").send().status);
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    @Test
    void clustersAreAdminOnly() {
        for (String[] route : List.of(
                new String[] {"GET", "/v3/p1/clusters", "clusters:get_all"},
                new String[] {"GET", "/v3/clusters/detail", "clusters:get_all"},
                new String[] {"GET", "/v3/p1/clusters/cluster1@fs1", "clusters:get"},
                new String[] {"PUT", "/v3/p1/clusters/enable", "clusters:update"},
                new String[] {"PUT", "/v3/clusters/disable", "clusters:update"})) {
            Response response = members.request(route[0], route[1])
                    .header("X-Auth-Token", "mem-secret")
                    .version("3.7")
                    .json("{\"name\": \"cluster1@fs1\"}")
                    .send();
            assertEquals(403, response.status, route[1] + " " + response);
            assertEquals("Policy doesn't allow " + route[2] + " to be performed.", response.fault("forbidden"));
        }
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    // --- helpers

    private static final Map<String, Object> FAILED_OVER_DETAIL = detail(
            "cluster1@fs1",
            "up",
            "enabled",
            3,
            1,
            "2016-06-01T02:46:28.250000",
            "2016-06-01T02:46:28.000000",
            "2016-06-01T02:46:28.000000",
            null,
            "failed-over",
            false,
            "secondary");
    private static final Map<String, Object> NEW_DETAIL = detail(
            "cluster2@fs2",
            "down",
            "disabled",
            0,
            0,
            "",
            "2016-06-01T02:46:28.000000",
            "",
            "maintenance",
            "not-capable",
            true,
            null);

    private static Map<String, Object> detail(
            String name,
            String state,
            String status,
            int numHosts,
            int numDownHosts,
            String lastHeartbeat,
            String createdAt,
            String updatedAt,
            String disabledReason,
            String replicationStatus,
            boolean frozen,
            String activeBackendId) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("binary", "cinder-volume");
        view.put("state", state);
        view.put("status", status);
        view.put("num_hosts", numHosts);
        view.put("num_down_hosts", numDownHosts);
        view.put("last_heartbeat", lastHeartbeat);
        view.put("created_at", createdAt);
        view.put("updated_at", updatedAt);
        view.put("disabled_reason", disabledReason);
        view.put("replication_status", replicationStatus);
        view.put("frozen", frozen);
        view.put("active_backend_id", activeBackendId);
        return view;
    }

    /** The 3.26 detail without its replication fields. */
    private static Map<String, Object> detail37(Map<String, Object> detail) {
        Map<String, Object> view = new LinkedHashMap<>(detail);
        view.remove("replication_status");
        view.remove("frozen");
        view.remove("active_backend_id");
        return view;
    }

    private List<Map<String, Object>> clusters(String route, String version) {
        Response response =
                api.request("GET", "/v3/p1" + route).version(version).send();
        assertEquals(200, response.status, response.toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> clusters =
                (List<Map<String, Object>>) response.json().get("clusters");
        return clusters;
    }

    private static List<Object> field(List<Map<String, Object>> clusters, String key) {
        return clusters.stream().map(c -> c.get(key)).toList();
    }

    private void assertListError(String version, String query, String message) {
        for (String route : List.of("/v3/p1/clusters?", "/v3/clusters/detail?")) {
            Response response =
                    api.request("GET", route + query).version(version).send();
            assertEquals(400, response.status, route + query + " " + response);
            assertEquals(message, response.fault("badRequest"), route + query);
            assertHeaders(response, version);
        }
    }

    /** A 400 from {@code route}; {@code message} null = any message; {@code body} null = none. */
    private void assertBodyError(String route, String body, String message) {
        ApiServer.Request request =
                api.request("PUT", "/v3/p1/clusters/" + route).version("3.7");
        Response response =
                (body == null ? request.header("Content-Type", "application/json") : request.json(body)).send();
        assertEquals(400, response.status, route + " " + body + " " + response);
        String actual = response.fault("badRequest");
        if (message != null) {
            assertEquals(message, actual, route + " " + body);
        }
    }
}
