package io.tandem.api.tandem;

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
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.GetFailoverResponse;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.PromoteResponse;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.TargetScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST .../tandem/promote} over HTTP against a fake replication-svc: what it forwards to Promote, the journal
 * row and Location it answers with, each 400 of its strict body, admin only, every microversion, both path forms, and
 * the gRPC statuses through the one table.
 */
class PromoteHttpTest extends AgainstFakeBackend<FakeReplication> {
    private static final Failover CLAIMED = Failover.newBuilder()
            .setId(45)
            .setKind(FailoverKind.FAILOVER_KIND_PROMOTE)
            .setScope(TargetScope.TARGET_SCOPE_CLUSTER)
            .setTarget("cluster1@fs1")
            .setFromBackendId("site-b")
            .setPhase(FailoverPhase.FAILOVER_PHASE_CLAIMED)
            .setOwner("ctl1")
            .setRequestedBy("admin")
            .setRequestId("req-9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")
            .setClaimedAt(time("2026-11-23T08:00:00.250000Z"))
            .addNewTargets(ReplicationTarget.newBuilder().setBackendId("site-c").setLocation("/srv/site-c"))
            .addNewTargets(ReplicationTarget.newBuilder().setBackendId("site-a").setLocation("/srv/site-a"))
            .build();
    private static final String CLUSTER_BODY =
            """
            {"promote": {"cluster": "cluster1@fs1",
                         "targets": [{"backend_id": "site-c", "location": "/srv/site-c"},
                                     {"location": "/srv/site-a", "backend_id": "site-a"}]}}""";

    private final ApiServer members = startWithTokens(new Token("mem-secret", "bob", "p1", "member"));

    PromoteHttpTest() {
        super(new FakeReplication());
    }

    @BeforeEach
    void answerWithTheClaim() {
        fake.answer(
                "Promote",
                PromoteResponse.newBuilder()
                        .setFailoverId(45)
                        .setFailover(CLAIMED)
                        .build());
    }

    // --- what is forwarded and answered

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void aPromoteIsForwardedExactlyAndAnswers202WithTheJournalRow(String prefix) {
        Response response = api.request("POST", prefix + "/tandem/promote")
                .json(CLUSTER_BODY)
                .send();

        assertEquals(202, response.status, response.toString());
        assertHeaders(response, "3.0");
        Map<String, Object> failover = new LinkedHashMap<>();
        failover.put("id", 45);
        failover.put("kind", "promote");
        failover.put("scope", "cluster");
        failover.put("target", "cluster1@fs1");
        failover.put("from_backend_id", "site-b");
        failover.put("to_backend_id", null);
        failover.put("epoch", 0);
        failover.put("phase", "claimed");
        failover.put("owner", "ctl1");
        failover.put("requested_by", "admin");
        failover.put("request_id", "req-9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");
        failover.put("claimed_at", "2026-11-23T08:00:00.250000");
        failover.put("promoted_at", null);
        failover.put("committed_at", null);
        failover.put("completed_at", null);
        failover.put("duration_ms", null);
        failover.put("error", null);
        failover.put("members", List.of());
        failover.put(
                "new_targets",
                List.of(
                        Map.of("backend_id", "site-c", "location", "/srv/site-c"),
                        Map.of("backend_id", "site-a", "location", "/srv/site-a")));
        assertEquals(Map.of("failover", failover), response.json());
        assertLocation(response, prefix + "/tandem/failovers/45");

        FakeReplication.Call call = fake.only("Promote");
        assertEquals(
                PromoteRequest.newBuilder()
                        .setCluster("cluster1@fs1")
                        .addTargets(ReplicationTarget.newBuilder()
                                .setBackendId("site-c")
                                .setLocation("/srv/site-c"))
                        .addTargets(ReplicationTarget.newBuilder()
                                .setBackendId("site-a")
                                .setLocation("/srv/site-a"))
                        .build(),
                call.request());
        assertEquals(response.header("X-OpenStack-Request-Id"), call.header("x-openstack-request-id"));
        assertEquals("admin", call.header("x-tandem-user"));
    }

    @Test
    void theShowRouteAnswersWithTheSameViewAsThePromote() {
        Response promote =
                api.request("POST", "/v3/p1/tandem/promote").json(CLUSTER_BODY).send();
        fake.answer(
                "GetFailover",
                GetFailoverResponse.newBuilder().setFailover(CLAIMED).build());
        Response show = api.request("GET", "/v3/p1/tandem/failovers/45").send();
        assertEquals(200, show.status, show.toString());
        assertEquals(show.json(), promote.json());
    }

    @Test
    void aHostWithNoTargetsPromotesWithReplicationDisabled() {
        Response response = api.request("POST", "/v3/tandem/promote")
                .json("{\"promote\": {\"host\": \"solo@fs9\", \"targets\": [], \"cluster\": null}}")
                .send();

        assertEquals(202, response.status, response.toString());
        assertEquals(
                PromoteRequest.newBuilder().setHost("solo@fs9").build(),
                fake.only("Promote").request());
    }

    @Test
    void theLocationFollowsTheFailoverIdWhenTheRowLacksIt() {
        fake.answer(
                "Promote",
                PromoteResponse.newBuilder()
                        .setFailoverId(46)
                        .setFailover(CLAIMED.toBuilder().clearId())
                        .build());
        Response response =
                api.request("POST", "/v3/p1/tandem/promote").json(CLUSTER_BODY).send();
        assertEquals(202, response.status, response.toString());
        assertLocation(response, "/v3/p1/tandem/failovers/46");
        assertEquals(46, failover(response).get("id"));
    }

    @Test
    void thePromoteExistsAtEveryMicroversion() {
        for (String version : List.of("3.0", "3.7", "3.24", "3.25", "3.26", "latest")) {
            Response response = api.request("POST", "/v3/p1/tandem/promote")
                    .version(version)
                    .json(CLUSTER_BODY)
                    .send();
            assertEquals(202, response.status, version + " " + response);
            assertHeaders(response, version.equals("latest") ? "3.26" : version);
        }
        assertEquals(6, fake.calls("Promote").size());
    }

    // --- the body

    @Test
    void exactlyOneOfClusterAndHost() {
        for (String target : List.of(
                "",
                "\"cluster\": \"c@b\", \"host\": \"n@b\", ",
                "\"cluster\": null, ",
                "\"cluster\": null, \"host\": null, ")) {
            assertBadRequest(
                    "{\"promote\": {" + target + "\"targets\": []}}",
                    "Invalid input received: One and only one of cluster and host must be set.");
        }
    }

    @Test
    void theBodyIsStrict() {
        assertBadRequest(null, "The request body is missing: a JSON object is expected.");
        assertBadRequest("{\"promote\": ", "Malformed request body");
        assertBadRequest("[]", "Malformed request body: [] is not of type 'object'");
        assertBadRequest("{}", "'promote' is a required property");
        assertBadRequest("{\"promote\": null}", "'promote' is a required property");
        assertBadRequest(
                "{\"promote\": \"cluster1@fs1\"}",
                "Invalid input for field/attribute promote. Value: 'cluster1@fs1'. 'cluster1@fs1' is not of type"
                        + " 'object'");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": []}, \"force\": true}",
                "Additional properties are not allowed ('force' was unexpected)");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": [], \"backend_id\": \"x\"}}",
                "Invalid input for field/attribute promote. Value: {'cluster': 'c@b', 'targets': [], 'backend_id':"
                        + " 'x'}. Additional properties are not allowed ('backend_id' was unexpected)");
        assertBadRequest(
                "{\"promote\": {\"cluster\": 7, \"targets\": []}}",
                "Invalid input for field/attribute cluster. Value: 7. 7 is not of type 'string'");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"\", \"targets\": []}}",
                "Invalid input for field/attribute cluster. Value: ''. '' is too short");
        assertBadRequest(
                "{\"promote\": {\"host\": \"" + "h".repeat(256) + "\", \"targets\": []}}",
                "Invalid input for field/attribute host. Value: '" + "h".repeat(256) + "'. '" + "h".repeat(256)
                        + "' is too long");
        assertBadRequest(
                "{\"promote\": {\"host\": \"no spaces@b\", \"targets\": []}}",
                "Invalid input for field/attribute host. Value: 'no spaces@b'. 'no spaces@b' does not match"
                        + " '^[a-zA-Z0-9-._#@:/+\\[\\]]*$'");
    }

    @Test
    void targetsAreRequiredAndMustBeAListOfObjectsWithStringBackendIdAndLocation() {
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\"}}",
                "Invalid input for field/attribute promote. Value: {'cluster': 'c@b'}. 'targets' is a required"
                        + " property");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": null}}",
                "Invalid input for field/attribute promote. Value: {'cluster': 'c@b', 'targets': None}. 'targets' is"
                        + " a required property");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": {\"backend_id\": \"x\", \"location\": \"/x\"}}}",
                "Invalid input for field/attribute targets. Value: {'backend_id': 'x', 'location': '/x'}. "
                        + "{'backend_id': 'x', 'location': '/x'} is not of type 'array'");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": \"site-c=/srv/site-c\"}}",
                "Invalid input for field/attribute targets. Value: 'site-c=/srv/site-c'. 'site-c=/srv/site-c' is not"
                        + " of type 'array'");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": [{\"backend_id\": \"x\", \"location\": \"/x\"},"
                        + " \"y\"]}}",
                "Invalid input for field/attribute targets[1]. Value: 'y'. 'y' is not of type 'object'");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": [{\"location\": \"/x\"}]}}",
                "Invalid input for field/attribute targets[0]. Value: {'location': '/x'}. 'backend_id' is a required"
                        + " property");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": [{\"backend_id\": \"x\", \"location\": null}]}}",
                "Invalid input for field/attribute targets[0]. Value: {'backend_id': 'x', 'location': None}. "
                        + "'location' is a required property");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": [{\"backend_id\": \"x\", \"location\": 3}]}}",
                "Invalid input for field/attribute location. Value: 3. 3 is not of type 'string'");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": [{\"backend_id\": \"\", \"location\": \"/x\"}]}}",
                "Invalid input for field/attribute backend_id. Value: ''. '' is too short");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": [{\"backend_id\": \"" + "b".repeat(256)
                        + "\", \"location\": \"/x\"}]}}",
                "Invalid input for field/attribute backend_id. Value: '" + "b".repeat(256) + "'. '" + "b".repeat(256)
                        + "' is too long");
        assertBadRequest(
                "{\"promote\": {\"cluster\": \"c@b\", \"targets\": [{\"backend_id\": \"x\", \"location\": \"/x\","
                        + " \"role\": \"target\"}]}}",
                "Invalid input for field/attribute targets[0]. Value: {'backend_id': 'x', 'location': '/x', 'role':"
                        + " 'target'}. Additional properties are not allowed ('role' was unexpected)");
    }

    // --- the backend's answers, through the one table

    @Test
    void invalidTargetsAndTheWrongStateAre400WithTheBackendsMessage() {
        String invalid = "Invalid input received: backend_id site-b is the site being promoted of cluster1@fs1.";
        fake.fail("Promote", Status.INVALID_ARGUMENT.withDescription(invalid));
        Response target = promote();
        assertEquals(400, target.status, target.toString());
        assertEquals(invalid, target.fault("badRequest"));

        String state = "replication_status in cluster1@fs1 must be enabled or failed-over (or error after a failed"
                + " promote) to promote.";
        fake.fail("Promote", Status.FAILED_PRECONDITION.withDescription(state));
        Response wrongState = promote();
        assertEquals(400, wrongState.status, wrongState.toString());
        assertEquals(state, wrongState.fault("badRequest"));
    }

    @Test
    void aTransientConflictIs409() {
        fake.fail("Promote", Status.ABORTED.withDescription("a member registered meanwhile; retry"));
        Response response = promote();
        assertEquals(409, response.status, response.toString());
        assertEquals("a member registered meanwhile; retry", response.fault("conflictingRequest"));
    }

    @Test
    void aReplicationServiceWithoutPromoteIs501() {
        fake.fail("Promote", Status.UNIMPLEMENTED.withDescription("Promote is not implemented yet."));
        Response response = promote();
        assertEquals(501, response.status, response.toString());
        assertEquals("Promote is not implemented yet.", response.fault("notImplemented"));
        assertHeaders(response, "3.0");
    }

    @Test
    void anUnavailableDatabaseIs503WithTheBackendsMessage() {
        fake.fail("Promote", Status.UNAVAILABLE.withDescription("no member of cluster1@fs1 is up"));
        Response response = promote();
        assertEquals(503, response.status, response.toString());
        assertEquals("no member of cluster1@fs1 is up", response.fault("serviceUnavailable"));
    }

    @Test
    void aReplicationServiceThatIsDownIs503NamingIt() {
        String nobody = "127.0.0.1:" + freePort();
        try (ApiServer orphan = ApiServer.start(nobody)) {
            Response response = orphan.request("POST", "/v3/p1/tandem/promote")
                    .json(CLUSTER_BODY)
                    .send();
            assertEquals(503, response.status, response.toString());
            String message = response.fault("serviceUnavailable");
            assertTrue(message.startsWith("replication-svc at " + nobody + " is unavailable"), message);
        }
    }

    // --- access

    @Test
    void thePromoteIsAdminOnly() {
        for (String path : List.of("/v3/p1/tandem/promote", "/v3/tandem/promote")) {
            Response response = members.request("POST", path)
                    .header("X-Auth-Token", "mem-secret")
                    .json(CLUSTER_BODY)
                    .send();
            assertEquals(403, response.status, path + " " + response);
            assertEquals("Policy doesn't allow tandem:promote to be performed.", response.fault("forbidden"));
        }
        // Authorization comes before the body: a member learns nothing about what a valid body is.
        Response bad = members.request("POST", "/v3/p1/tandem/promote")
                .header("X-Auth-Token", "mem-secret")
                .json("{}")
                .send();
        assertEquals(403, bad.status, bad.toString());
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    // --- helpers

    private Response promote() {
        return api.request("POST", "/v3/p1/tandem/promote").json(CLUSTER_BODY).send();
    }

    /** A 400 with {@code message} for {@code body} (null: no body at all), and no call to the backend. */
    private void assertBadRequest(String body, String message) {
        ApiServer.Request request = api.request("POST", "/v3/p1/tandem/promote");
        if (body != null) {
            request.json(body);
        } else {
            request.header("Content-Type", "application/json");
        }
        Response response = request.send();
        assertEquals(400, response.status, body + " " + response);
        assertEquals(message, response.fault("badRequest"), body);
        assertHeaders(response, "3.0");
        assertTrue(fake.calls().isEmpty(), body + ": " + fake.calls());
    }

    /** An absolute Location to this server (the request's Host) with {@code path}. */
    private static void assertLocation(Response response, String path) {
        String location = response.header("Location");
        assertTrue(
                location != null && location.matches("http://127\\.0\\.0\\.1:[0-9]+" + Pattern.quote(path)),
                String.valueOf(location));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> failover(Response response) {
        return (Map<String, Object>) response.json().get("failover");
    }

    private static Timestamp time(String iso) {
        Instant instant = Instant.parse(iso);
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
