package io.tandem.api.workers;

import static io.tandem.api.ApiServer.assertHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.tandem.api.AgainstFakeBackend;
import io.tandem.api.ApiServer;
import io.tandem.api.ApiServer.Response;
import io.tandem.api.ApiServer.Token;
import io.tandem.api.FakeReplication;
import io.tandem.proto.v1.ServiceRef;
import io.tandem.proto.v1.WorkCleanupRequest;
import io.tandem.proto.v1.WorkCleanupResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /workers/cleanup} over HTTP against a fake replication-svc: the body as replication-svc receives it,
 * the 202 answer, the 3.23/3.24 gate, each documented error, with and without a project id in the path.
 */
class WorkersHttpTest extends AgainstFakeBackend<FakeReplication> {
    private static final ServiceRef DOWN_MEMBER = ServiceRef.newBuilder()
            .setId(7)
            .setHost("node3@fs1")
            .setBinary("volume")
            .setClusterName("cluster1@fs1")
            .build();
    private static final ServiceRef SCHEDULER = ServiceRef.newBuilder()
            .setId(2)
            .setHost("sched1")
            .setBinary("scheduler")
            .build();
    private static final ServiceRef LONE_NODE = ServiceRef.newBuilder()
            .setId(9)
            .setHost("solo@fs9")
            .setBinary("volume")
            .build();

    private final ApiServer members = startWithTokens(new Token("mem-secret", "bob", "p1", "member"));

    WorkersHttpTest() {
        super(new FakeReplication());
    }

    @BeforeEach
    void answerWithTheSamples() {
        fake.answer(
                "WorkCleanup",
                WorkCleanupResponse.newBuilder()
                        .addCleaning(DOWN_MEMBER)
                        .addCleaning(SCHEDULER)
                        .addUnavailable(LONE_NODE)
                        .build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void anEmptyBodyCleansWhatIsDownAndAnswers202(String prefix) {
        Response response = cleanup(prefix, "3.24", "{}");
        assertEquals(202, response.status, response.toString());
        assertHeaders(response, "3.24");
        assertEquals(
                Map.of(
                        "cleaning",
                        List.of(
                                service(7, "node3@fs1", "cinder-volume", "cluster1@fs1"),
                                service(2, "sched1", "cinder-scheduler", null)),
                        "unavailable",
                        List.of(service(9, "solo@fs9", "cinder-volume", null))),
                response.json());
        // is_up stays unset: replication-svc's default is the services that are down.
        assertEquals(
                WorkCleanupRequest.getDefaultInstance(),
                fake.only("WorkCleanup").request());
    }

    @Test
    void aMissingBodyIsAnEmptyOne() {
        Response response =
                api.request("POST", "/v3/p1/workers/cleanup").version("3.26").send();
        assertEquals(202, response.status, response.toString());
        assertEquals(
                WorkCleanupRequest.getDefaultInstance(),
                fake.only("WorkCleanup").request());
    }

    @Test
    void everyKeyReachesReplicationSvcInTandemsTerms() {
        Response response = cleanup(
                "/v3",
                "3.24",
                "{\"cluster_name\": \"cluster1@fs1\", \"host\": \"node3@fs1\", \"service_id\": 7, "
                        + "\"binary\": \"cinder-volume\", \"is_up\": true, \"disabled\": false, "
                        + "\"resource_id\": \"5AA119A8-D25B-45A7-8D1B-88E127885635\", \"resource_type\": \"volume\"}");
        assertEquals(202, response.status, response.toString());
        assertEquals(
                WorkCleanupRequest.newBuilder()
                        .setClusterName("cluster1@fs1")
                        .setHost("node3@fs1")
                        .setServiceId(7)
                        .setBinary("volume")
                        .setIsUp(true)
                        .setDisabled(false)
                        .setResourceId("5aa119a8-d25b-45a7-8d1b-88e127885635")
                        .setResourceType("Volume")
                        .build(),
                fake.only("WorkCleanup").request());
    }

    @Test
    void cinderclientsStringsAreAccepted() {
        // What `cinder work-cleanup --cluster ... --is-up false --disabled yes --service-id 7` sends.
        Response response = cleanup(
                "/v3/p1",
                "3.24",
                "{\"cluster_name\": \"cluster1@fs1\", \"is_up\": \"false\", \"disabled\": \"Yes\", "
                        + "\"service_id\": \"7\", \"binary\": \"cinder-scheduler\", \"resource_type\": \"SNAPSHOT\", "
                        + "\"host\": null, \"resource_id\": null}");
        assertEquals(202, response.status, response.toString());
        assertEquals(
                WorkCleanupRequest.newBuilder()
                        .setClusterName("cluster1@fs1")
                        .setIsUp(false)
                        .setDisabled(true)
                        .setServiceId(7)
                        .setBinary("scheduler")
                        .setResourceType("Snapshot")
                        .build(),
                fake.only("WorkCleanup").request());
    }

    @Test
    void replicationSvcsRefusalsAre400() {
        fake.fail(
                "WorkCleanup",
                Status.INVALID_ARGUMENT.withDescription("Invalid input received: resource_type must be Volume."));
        Response snapshot = cleanup("/v3/p1", "3.24", "{\"resource_type\": \"Snapshot\"}");
        assertEquals(400, snapshot.status, snapshot.toString());
        assertEquals("Invalid input received: resource_type must be Volume.", snapshot.fault("badRequest"));
        fake.fail("WorkCleanup", Status.UNAVAILABLE.withDescription("etcd unreachable"));
        assertEquals(503, cleanup("/v3/p1", "3.24", "{}").status);
    }

    @Test
    void theBodyIsChecked() {
        assertBadRequest(
                "{\"until\": \"2017-01-01\"}", "Additional properties are not allowed ('until' was unexpected)");
        assertBadRequest(
                "{\"binary\": \"cinder-api\"}",
                "Invalid input for field/attribute binary. Value: 'cinder-api'. 'cinder-api' is not one of "
                        + "['cinder-volume', 'cinder-scheduler']");
        assertBadRequest(
                "{\"is_up\": \"maybe\"}",
                "Invalid input for field/attribute is_up. Value: 'maybe'. It must be a boolean, or one of the strings "
                        + "true/false, yes/no, 1/0.");
        assertBadRequest("{\"disabled\": 1}", null);
        assertBadRequest("{\"service_id\": \"x7\"}", null);
        assertBadRequest("{\"service_id\": -1}", null);
        assertBadRequest("{\"service_id\": 2147483648}", null);
        assertBadRequest("{\"service_id\": \"123456789012\"}", null);
        assertBadRequest("{\"service_id\": 1.5}", null);
        assertBadRequest(
                "{\"resource_id\": \"nope\"}", "Invalid input received: Resource ID must be a UUID, and nope is not.");
        assertBadRequest(
                "{\"resource_type\": \"backup\"}",
                "Invalid input received: Resource type Backup not valid, must be Volume or Snapshot");
        assertBadRequest("{\"host\": \"" + "h".repeat(256) + "\"}", null);
        assertBadRequest("{\"cluster_name\": 3}", null);
        assertBadRequest("{\"host\": ", "Malformed request body");
        assertBadRequest("[]", null);
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    @Test
    void titleCaseIsPythons() {
        assertEquals("Volume", WorkerRequests.titleCase("vOLUME"));
        assertEquals("Snap_Shot", WorkerRequests.titleCase("snap_shot"));
        assertEquals("", WorkerRequests.titleCase(""));
    }

    @Test
    void theRouteDoesNotExistBelow324() {
        for (String prefix : List.of("/v3/p1", "/v3")) {
            Response response = cleanup(prefix, "3.23", "{}");
            assertEquals(404, response.status, response.toString());
            assertEquals("The resource could not be found.", response.fault("itemNotFound"));
            assertHeaders(response, "3.23");
        }
        assertEquals(404, api.request("POST", "/v3/workers/cleanup").json("{}").send().status);
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    @Test
    void cleanupIsAdminOnly() {
        for (String prefix : List.of("/v3/p1", "/v3")) {
            Response response = members.request("POST", prefix + "/workers/cleanup")
                    .header("X-Auth-Token", "mem-secret")
                    .version("3.24")
                    .json("{}")
                    .send();
            assertEquals(403, response.status, response.toString());
            assertEquals("Policy doesn't allow workers:cleanup to be performed.", response.fault("forbidden"));
        }
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    private Response cleanup(String prefix, String version, String body) {
        return api.request("POST", prefix + "/workers/cleanup")
                .version(version)
                .json(body)
                .send();
    }

    private static Map<String, Object> service(int id, String host, String binary, String clusterName) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("host", host);
        view.put("binary", binary);
        view.put("cluster_name", clusterName);
        return view;
    }

    private void assertBadRequest(String body, String message) {
        Response response = cleanup("/v3/p1", "3.24", body);
        assertEquals(400, response.status, body + " " + response);
        String actual = response.fault("badRequest");
        if (message != null) {
            assertEquals(message, actual, body);
        }
    }
}
