package io.tandem.api.services;

import static io.tandem.api.ApiServer.assertHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.tandem.api.AgainstFakeBackend;
import io.tandem.api.ApiServer.Response;
import io.tandem.api.FakeReplication;
import io.tandem.proto.v1.DisableServiceRequest;
import io.tandem.proto.v1.DisableServiceResponse;
import io.tandem.proto.v1.EnableServiceRequest;
import io.tandem.proto.v1.EnableServiceResponse;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.FreezeRequest;
import io.tandem.proto.v1.ListServicesRequest;
import io.tandem.proto.v1.ListServicesResponse;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.Service;
import io.tandem.proto.v1.ThawRequest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * os-services over HTTP against a fake replication-svc: what each route sends to gRPC, what it answers, each
 * documented error, and the microversion gates. Each route is exercised with and without a project id in the path.
 */
class ServicesHttpTest extends AgainstFakeBackend<FakeReplication> {
    private static final Service VOLUME = Service.newBuilder()
            .setId(1)
            .setHost("node1@fs1")
            .setBinary("volume")
            .setClusterName("cluster1@fs1")
            .setIsUp(true)
            .setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_FAILED_OVER)
            .setActiveBackendId("secondary")
            .setUpdatedAt(Timestamp.newBuilder().setSeconds(1_498_715_439L).setNanos(120_000_000))
            .build();
    private static final Service SCHEDULER = Service.newBuilder()
            .setId(2)
            .setHost("sched1")
            .setBinary("scheduler")
            .setDisabled(true)
            .setDisabledReason("maintenance")
            .build();

    ServicesHttpTest() {
        super(new FakeReplication());
    }

    @BeforeEach
    void answerWithTheSamples() {
        fake.answer(
                "ListServices",
                ListServicesResponse.newBuilder()
                        .addServices(VOLUME)
                        .addServices(SCHEDULER)
                        .build());
    }

    // --- GET os-services

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3", "/v3/any-Project_Name.42"})
    void listsServicesInCindersShape(String prefix) {
        Response response = api.request("GET", prefix + "/os-services").send();
        assertEquals(200, response.status, response.toString());
        assertHeaders(response, "3.0");
        Map<String, Object> volume = new LinkedHashMap<>();
        volume.put("binary", "cinder-volume");
        volume.put("host", "node1@fs1");
        volume.put("zone", "nova");
        volume.put("status", "enabled");
        volume.put("state", "up");
        volume.put("updated_at", "2017-06-29T05:50:39.120000");
        volume.put("disabled_reason", null);
        volume.put("replication_status", "failed-over");
        volume.put("active_backend_id", "secondary");
        volume.put("frozen", false);
        Map<String, Object> scheduler = new LinkedHashMap<>();
        scheduler.put("binary", "cinder-scheduler");
        scheduler.put("host", "sched1");
        scheduler.put("zone", "nova");
        scheduler.put("status", "disabled");
        scheduler.put("state", "down");
        scheduler.put("updated_at", null);
        scheduler.put("disabled_reason", "maintenance");
        assertEquals(Map.of("services", List.of(volume, scheduler)), response.json());
        assertEquals(
                ListServicesRequest.getDefaultInstance(),
                fake.only("ListServices").request());
    }

    @Test
    void theClusterFieldAppearsAt37() {
        assertFalse(services("3.6").get(0).containsKey("cluster"));
        List<Map<String, Object>> at37 = services("3.7");
        assertEquals("cluster1@fs1", at37.get(0).get("cluster"));
        assertTrue(at37.get(1).containsKey("cluster"));
        assertEquals(null, at37.get(1).get("cluster"));
    }

    @Test
    void volumeServicesShowReplicationFieldsAtEveryVersion() {
        // Cinder's os-extended-services: no microversion gates them (the cluster fields of 3.26 are on /clusters).
        for (String version : List.of("3.0", "3.25", "3.26")) {
            Map<String, Object> volume = services(version).get(0);
            assertEquals("failed-over", volume.get("replication_status"), version);
            assertEquals("secondary", volume.get("active_backend_id"), version);
            assertEquals(false, volume.get("frozen"), version);
            assertFalse(services(version).get(1).containsKey("replication_status"), version);
        }
    }

    @Test
    void filtersByHostAndBinaryInTandemsNames() {
        assertEquals(
                200,
                api.request("GET", "/v3/p1/os-services?host=node1@fs1&binary=cinder-volume&other=x")
                        .send()
                        .status);
        assertEquals(
                ListServicesRequest.newBuilder()
                        .setHost("node1@fs1")
                        .setBinary("volume")
                        .build(),
                fake.only("ListServices").request());
        fake.reset();
        api.request("GET", "/v3/os-services?binary=cinder-scheduler").send();
        assertEquals(
                ListServicesRequest.newBuilder().setBinary("scheduler").build(),
                fake.only("ListServices").request());
    }

    @Test
    void anEmptyListIsAnEmptyArray() {
        fake.answer("ListServices", ListServicesResponse.getDefaultInstance());
        assertEquals(
                Map.of("services", List.of()),
                api.request("GET", "/v3/os-services").send().json());
    }

    // --- PUT enable, disable, disable-log-reason

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void enableReallyEnablesAndEchoesTheRequest(String prefix) {
        fake.answer(
                "EnableService",
                EnableServiceResponse.newBuilder().setService(VOLUME).build());
        Response response = api.request("PUT", prefix + "/os-services/enable")
                .json("{\"binary\": \"cinder-volume\", \"host\": \"node1@fs1\"}")
                .send();
        assertEquals(200, response.status, response.toString());
        assertEquals(
                Map.of(
                        "host", "node1@fs1",
                        "service", "",
                        "binary", "cinder-volume",
                        "status", "enabled",
                        "disabled", false),
                response.json());
        assertEquals(
                EnableServiceRequest.newBuilder()
                        .setHost("node1@fs1")
                        .setBinary("volume")
                        .build(),
                fake.only("EnableService").request());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void disableReallyDisables(String prefix) {
        Service disabled = SCHEDULER.toBuilder().setDisabledReason("").build();
        fake.answer(
                "DisableService",
                DisableServiceResponse.newBuilder().setService(disabled).build());
        // "service" is the deprecated spelling of "binary"; Cinder echoes both keys as sent.
        Response response = api.request("PUT", prefix + "/os-services/disable")
                .json("{\"service\": \"cinder-scheduler\", \"host\": \"sched1\"}")
                .send();
        assertEquals(200, response.status, response.toString());
        assertEquals(
                Map.of(
                        "host", "sched1",
                        "service", "cinder-scheduler",
                        "binary", "",
                        "status", "disabled",
                        "disabled", true),
                response.json());
        assertEquals(
                DisableServiceRequest.newBuilder()
                        .setHost("sched1")
                        .setBinary("scheduler")
                        .build(),
                fake.only("DisableService").request());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void disableLogReasonStoresTheReason(String prefix) {
        fake.answer(
                "DisableService",
                DisableServiceResponse.newBuilder().setService(SCHEDULER).build());
        Response response = api.request("PUT", prefix + "/os-services/disable-log-reason")
                .json(
                        "{\"binary\": \"cinder-scheduler\", \"host\": \"sched1\", \"disabled_reason\": \" maintenance \"}")
                .send();
        assertEquals(200, response.status, response.toString());
        assertEquals("maintenance", response.json().get("disabled_reason"));
        assertEquals(true, response.json().get("disabled"));
        assertEquals(
                "maintenance",
                ((DisableServiceRequest) fake.only("DisableService").request()).getDisabledReason());
    }

    @Test
    void anUnknownServiceIs404() {
        fake.fail("EnableService", Status.NOT_FOUND.withDescription("Service ghost@b (volume) could not be found."));
        Response enable = api.request("PUT", "/v3/p1/os-services/enable")
                .json("{\"binary\": \"cinder-volume\", \"host\": \"ghost@b\"}")
                .send();
        assertEquals(404, enable.status);
        assertEquals("Service ghost@b (volume) could not be found.", enable.fault("itemNotFound"));
        fake.fail("DisableService", Status.NOT_FOUND.withDescription("Service ghost@b (volume) could not be found."));
        assertEquals(
                404,
                api.request("PUT", "/v3/os-services/disable")
                        .json("{\"binary\": \"cinder-volume\", \"host\": \"ghost@b\"}")
                        .send()
                        .status);
        assertEquals(
                404,
                api.request("PUT", "/v3/os-services/disable-log-reason")
                        .json("{\"binary\": \"cinder-volume\", \"host\": \"ghost@b\", \"disabled_reason\": \"x\"}")
                        .send()
                        .status);
    }

    @Test
    void enableAndDisableCheckTheirBodies() {
        assertBadRequest("enable", "{\"binary\": \"cinder-volume\"}", "Invalid input received: Host field is missing.");
        assertBadRequest("disable", "{\"host\": \"node1@fs1\"}", "'binary' is a required property");
        assertBadRequest(
                "enable",
                "{\"binary\": \"cinder-volume\", \"host\": \"node1@fs1\", \"disabled\": true}",
                "Additional properties are not allowed ('disabled' was unexpected)");
        assertBadRequest(
                "disable",
                "{\"binary\": \"cinder-volume\", \"host\": \"no spaces\"}",
                "Invalid input for field/attribute host. Value: 'no spaces'. 'no spaces' does not match "
                        + "'^[a-zA-Z0-9-._#@:/+\\[\\]]*$'");
        assertBadRequest(
                "disable",
                "{\"binary\": 7, \"host\": \"node1@fs1\"}",
                "Invalid input for field/attribute binary. Value: 7. 7 is not of type 'string'");
        assertBadRequest(
                "disable-log-reason",
                "{\"binary\": \"cinder-volume\", \"host\": \"node1@fs1\", \"disabled_reason\": \"" + "x".repeat(256)
                        + "\"}",
                null);
        assertBadRequest(
                "disable-log-reason",
                "{\"binary\": \"cinder-volume\", \"host\": \"node1@fs1\", \"disabled_reason\": \"  \"}",
                null);
        // disable does not take a reason: that is disable-log-reason's key.
        assertBadRequest(
                "disable",
                "{\"binary\": \"cinder-volume\", \"host\": \"node1@fs1\", \"disabled_reason\": \"x\"}",
                "Additional properties are not allowed ('disabled_reason' was unexpected)");
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    // --- PUT freeze, thaw

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void freezeAndThawAHost(String prefix) {
        Response freeze = api.request("PUT", prefix + "/os-services/freeze")
                .json("{\"host\": \"node1@fs1\"}")
                .send();
        assertEquals(200, freeze.status, freeze.toString());
        assertEquals("", freeze.body);
        assertHeaders(freeze, "3.0");
        assertEquals(
                FreezeRequest.newBuilder().setHost("node1@fs1").build(),
                fake.only("Freeze").request());

        Response thaw = api.request("PUT", prefix + "/os-services/thaw")
                .json("{\"host\": \"node1@fs1\"}")
                .send();
        assertEquals(200, thaw.status, thaw.toString());
        assertEquals("", thaw.body);
        assertEquals(
                ThawRequest.newBuilder().setHost("node1@fs1").build(),
                fake.only("Thaw").request());
    }

    @Test
    void freezeAndThawAClusterAt326() {
        assertEquals(
                200,
                api.request("PUT", "/v3/p1/os-services/freeze")
                        .version("3.26")
                        .json("{\"cluster\": \"cluster1@fs1\"}")
                        .send()
                        .status);
        assertEquals(
                FreezeRequest.newBuilder().setCluster("cluster1@fs1").build(),
                fake.only("Freeze").request());
        assertEquals(
                200,
                api.request("PUT", "/v3/p1/os-services/thaw")
                        .version("3.26")
                        .json("{\"cluster\": \"cluster1@fs1\", \"host\": null}")
                        .send()
                        .status);
        assertEquals(
                ThawRequest.newBuilder().setCluster("cluster1@fs1").build(),
                fake.only("Thaw").request());
    }

    @Test
    void theClusterParameterIsRefusedBelow326() {
        for (String route : List.of("freeze", "thaw", "failover_host")) {
            Response clusterOnly = api.request("PUT", "/v3/p1/os-services/" + route)
                    .version("3.25")
                    .json("{\"cluster\": \"cluster1@fs1\"}")
                    .send();
            assertEquals(400, clusterOnly.status, route);
            assertEquals("Invalid input received: Host field is missing.", clusterOnly.fault("badRequest"));
            assertHeaders(clusterOnly, "3.25");

            Response both = api.request("PUT", "/v3/p1/os-services/" + route)
                    .version("3.25")
                    .json("{\"cluster\": \"cluster1@fs1\", \"host\": \"node1@fs1\"}")
                    .send();
            assertEquals(400, both.status, route);
            assertEquals(
                    "Invalid input received: cluster is accepted from microversion 3.26 on.", both.fault("badRequest"));
        }
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    @Test
    void exactlyOneOfClusterAndHostAt326() {
        for (String route : List.of("freeze", "thaw", "failover_host", "failover")) {
            for (String body : List.of("{}", "{\"cluster\": \"c@b\", \"host\": \"n@b\"}", "{\"cluster\": null}")) {
                Response response = api.request("PUT", "/v3/os-services/" + route)
                        .version("3.26")
                        .json(body)
                        .send();
                assertEquals(400, response.status, route + " " + body);
                assertEquals(
                        "Invalid input received: One and only one of cluster and host must be set.",
                        response.fault("badRequest"));
            }
        }
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    @Test
    void anUnknownHostOrClusterIs400ForFreezeThawAndFailover() {
        fake.fail("Freeze", Status.INVALID_ARGUMENT.withDescription("Host ghost@b could not be found."));
        fake.fail("Thaw", Status.INVALID_ARGUMENT.withDescription("Cluster ghost@b could not be found."));
        fake.fail("Failover", Status.INVALID_ARGUMENT.withDescription("Host ghost@b could not be found."));
        Response freeze = api.request("PUT", "/v3/p1/os-services/freeze")
                .json("{\"host\": \"ghost@b\"}")
                .send();
        assertEquals(400, freeze.status);
        assertEquals("Host ghost@b could not be found.", freeze.fault("badRequest"));
        assertEquals(
                400,
                api.request("PUT", "/v3/p1/os-services/thaw")
                        .version("3.26")
                        .json("{\"cluster\": \"ghost@b\"}")
                        .send()
                        .status);
        assertEquals(
                400,
                api.request("PUT", "/v3/p1/os-services/failover_host")
                        .json("{\"host\": \"ghost@b\"}")
                        .send()
                        .status);
    }

    @Test
    void theWrongStateIs400() {
        fake.fail(
                "Freeze",
                Status.FAILED_PRECONDITION.withDescription("frozen in cluster1@fs1 must be False to freeze."));
        Response freeze = api.request("PUT", "/v3/p1/os-services/freeze")
                .json("{\"host\": \"node1@fs1\"}")
                .send();
        assertEquals(400, freeze.status);
        assertEquals("frozen in cluster1@fs1 must be False to freeze.", freeze.fault("badRequest"));
        fake.fail(
                "Thaw",
                Status.FAILED_PRECONDITION.withDescription("Backend reported error during thaw_host operation."));
        assertEquals(
                400,
                api.request("PUT", "/v3/p1/os-services/thaw")
                        .json("{\"host\": \"node1@fs1\"}")
                        .send()
                        .status);
    }

    @Test
    void aThawWithNoMemberUpIs503() {
        fake.fail("Thaw", Status.UNAVAILABLE.withDescription("no member of cluster1@fs1 is up"));
        Response thaw = api.request("PUT", "/v3/p1/os-services/thaw")
                .json("{\"host\": \"node1@fs1\"}")
                .send();
        assertEquals(503, thaw.status);
        assertEquals("no member of cluster1@fs1 is up", thaw.fault("serviceUnavailable"));
    }

    // --- PUT failover_host, failover

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void failoverHostIsAccepted(String prefix) {
        Response response = api.request("PUT", prefix + "/os-services/failover_host")
                .json("{\"host\": \"node1@fs1\", \"backend_id\": \"secondary\"}")
                .send();
        assertEquals(202, response.status, response.toString());
        assertEquals("", response.body);
        assertHeaders(response, "3.0");
        assertEquals(
                FailoverRequest.newBuilder()
                        .setHost("node1@fs1")
                        .setBackendId("secondary")
                        .build(),
                fake.only("Failover").request());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void failoverTakesAClusterAt326(String prefix) {
        Response response = api.request("PUT", prefix + "/os-services/failover")
                .version("3.26")
                .json("{\"cluster\": \"cluster1@fs1\", \"backend_id\": \"secondary\"}")
                .send();
        assertEquals(202, response.status, response.toString());
        assertHeaders(response, "3.26");
        assertEquals(
                FailoverRequest.newBuilder()
                        .setCluster("cluster1@fs1")
                        .setBackendId("secondary")
                        .build(),
                fake.only("Failover").request());
        fake.reset();
        // failover_host takes a cluster too from 3.26 on, as Cinder's does.
        assertEquals(
                202,
                api.request("PUT", prefix + "/os-services/failover_host")
                        .version("latest")
                        .json("{\"cluster\": \"cluster1@fs1\"}")
                        .send()
                        .status);
        assertEquals(
                FailoverRequest.newBuilder().setCluster("cluster1@fs1").build(),
                fake.only("Failover").request());
    }

    @Test
    void backendIdNullMeansTheOnlyTargetAndDefaultMeansFailback() {
        api.request("PUT", "/v3/os-services/failover_host")
                .json("{\"host\": \"node1@fs1\", \"backend_id\": null}")
                .send();
        api.request("PUT", "/v3/os-services/failover_host")
                .json("{\"host\": \"node1@fs1\", \"backend_id\": \"default\"}")
                .send();
        List<FakeReplication.Call> calls = fake.calls("Failover");
        assertEquals("", ((FailoverRequest) calls.get(0).request()).getBackendId());
        assertEquals("default", ((FailoverRequest) calls.get(1).request()).getBackendId());
    }

    @Test
    void failoverErrors() {
        String states = "replication_status in cluster1@fs1 must be enabled, failed-over or failover-error and up to "
                + "failover.";
        fake.fail("Failover", Status.FAILED_PRECONDITION.withDescription(states));
        Response wrongState = api.request("PUT", "/v3/p1/os-services/failover")
                .version("3.26")
                .json("{\"cluster\": \"cluster1@fs1\", \"backend_id\": \"secondary\"}")
                .send();
        assertEquals(400, wrongState.status);
        assertEquals(states, wrongState.fault("badRequest"));

        fake.fail("Failover", Status.ABORTED.withDescription("a member registered meanwhile; retry"));
        assertEquals(
                409,
                api.request("PUT", "/v3/p1/os-services/failover_host")
                        .json("{\"host\": \"node1@fs1\"}")
                        .send()
                        .status);

        assertBadRequest(
                "failover_host",
                "{\"host\": \"node1@fs1\", \"backend\": \"secondary\"}",
                "Additional properties are not allowed ('backend' was unexpected)");
        assertBadRequest(
                "failover_host",
                "{\"host\": \"node1@fs1\", \"backend_id\": 2}",
                "Invalid input for field/attribute backend_id. Value: 2. 2 is not of type 'string'");
    }

    private List<Map<String, Object>> services(String version) {
        Response response =
                api.request("GET", "/v3/p1/os-services").version(version).send();
        assertEquals(200, response.status, response.toString());
        assertHeaders(response, version);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> services =
                (List<Map<String, Object>>) response.json().get("services");
        return services;
    }

    /** A 400 from {@code route}; {@code message} null = any message. */
    private void assertBadRequest(String route, String body, String message) {
        Map<String, String> context = new HashMap<>(Map.of("route", route, "body", body));
        Response response =
                api.request("PUT", "/v3/p1/os-services/" + route).json(body).send();
        assertEquals(400, response.status, context + " " + response);
        String actual = response.fault("badRequest");
        if (message != null) {
            assertEquals(message, actual, context.toString());
        }
    }
}
