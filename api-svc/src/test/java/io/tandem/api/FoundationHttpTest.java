package io.tandem.api;

import static io.tandem.api.ApiServer.assertHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.tandem.api.ApiServer.Response;
import io.tandem.proto.v1.ListServicesResponse;
import io.tandem.proto.v1.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every route gets from the foundation, over real HTTP: version discovery, microversion negotiation, the headers
 * on every response, Cinder's fault bodies for every kind of error, strict bodies, request ids and the backends'
 * failures. os-services serves as the route under test.
 */
class FoundationHttpTest extends AgainstFakeBackend<FakeReplication> {
    FoundationHttpTest() {
        super(new FakeReplication());
    }

    @Test
    void versionDiscoveryNeedsNoTokenAndAdvertisesTheMaximum() {
        Response root = api.bare("GET", "/").send();
        assertEquals(300, root.status);
        Response v3 = api.bare("GET", "/v3/").send();
        assertEquals(200, v3.status);
        assertEquals(root.json(), v3.json());
        assertEquals(200, api.bare("GET", "/v3").send().status);
        @SuppressWarnings("unchecked")
        Map<String, Object> version = ((List<Map<String, Object>>) v3.json().get("versions")).get(0);
        assertEquals("3.26", version.get("version"));
        assertEquals("3.0", version.get("min_version"));
        assertEquals("v3.0", version.get("id"));
        assertEquals("CURRENT", version.get("status"));
        assertHeaders(v3, "3.0");
    }

    @Test
    void discoveryAndTheOpenApiDocumentIgnoreTheVersionAskedFor() {
        // cinderclient asks for its own maximum on GET / and must learn the server's range there, not get a 406.
        Response root = api.bare("GET", "/").version("3.70").send();
        assertEquals(300, root.status, root.body);
        assertEquals(200, api.bare("GET", "/v3/").version("3.x").send().status);

        Response openApi = api.bare("GET", "/openapi.yaml").version("3.70").send();
        assertEquals(200, openApi.status, openApi.body);
        assertTrue(openApi.header("Content-Type").startsWith("application/yaml"), openApi.header("Content-Type"));
        assertTrue(openApi.body.contains("openapi: 3.0.3"), openApi.body.substring(0, 80));
        assertTrue(openApi.body.contains("/v3/{project_id}/os-services/failover:"));
    }

    @Test
    void theVersionAskedForIsTheVersionServed() {
        assertHeaders(api.request("GET", "/v3/os-services").send(), "3.0");
        assertHeaders(api.request("GET", "/v3/os-services").version("3.7").send(), "3.7");
        assertHeaders(api.request("GET", "/v3/os-services").version("latest").send(), "3.26");
        Response list = api.request("GET", "/v3/os-services")
                .header("OpenStack-API-Version", "compute 2.1, volume 3.25")
                .send();
        assertEquals(200, list.status);
        assertHeaders(list, "3.25");
    }

    @Test
    void aVersionOutOfRangeIs406AndAMalformedOne400() {
        Response tooNew = api.request("GET", "/v3/os-services").version("3.27").send();
        assertEquals(406, tooNew.status);
        assertEquals(
                "Version 3.27 is not supported by the API. Minimum is 3.0 and maximum is 3.26.",
                tooNew.fault("computeFault"));
        assertHeaders(tooNew, "3.0");
        assertEquals(406, api.request("GET", "/v3/os-services").version("2.0").send().status);

        Response malformed =
                api.request("GET", "/v3/os-services").version("3.x").send();
        assertEquals(400, malformed.status);
        assertEquals(
                "API Version String 3.x is of invalid format. Must be of format MajorNum.MinorNum.",
                malformed.fault("badRequest"));
        assertHeaders(malformed, "3.0");
        assertTrue(fake.calls().isEmpty(), "refused before any backend call");
    }

    @Test
    void everyErrorHasTheHeadersAndACinderFault() {
        Response unauthenticated = api.bare("GET", "/v3/os-services").send();
        assertEquals(401, unauthenticated.status);
        assertEquals("The request you have made requires authentication.", unauthenticated.fault("unauthorized"));
        assertHeaders(unauthenticated, "3.0");

        Response noRoute =
                api.request("GET", "/v3/p1/no-such-thing").version("3.26").send();
        assertEquals(404, noRoute.status);
        assertEquals("The resource could not be found.", noRoute.fault("itemNotFound"));
        assertHeaders(noRoute, "3.26");

        Response wrongMethod =
                api.request("DELETE", "/v3/p1/os-services").version("3.7").send();
        assertEquals(405, wrongMethod.status);
        assertTrue(wrongMethod.fault("badMethod").contains("DELETE"), wrongMethod.body);
        assertHeaders(wrongMethod, "3.7");

        Response wrongMethodOnPut = api.request("GET", "/v3/os-services/freeze").send();
        assertEquals(405, wrongMethodOnPut.status);
        assertHeaders(wrongMethodOnPut, "3.0");
    }

    @Test
    void aRouteAddedByAMicroversionDoesNotExistBelowIt() {
        Response below = api.request("PUT", "/v3/p1/os-services/failover")
                .version("3.25")
                .json("{\"host\":\"n1@b\"}")
                .send();
        assertEquals(404, below.status);
        assertEquals("The resource could not be found.", below.fault("itemNotFound"));
        assertHeaders(below, "3.25");
        assertTrue(fake.calls().isEmpty());
    }

    @Test
    void malformedJsonIs400() {
        Response response = api.request("PUT", "/v3/os-services/freeze")
                .json("{\"host\": \"n1@b\"")
                .send();
        assertEquals(400, response.status);
        assertEquals("Malformed request body", response.fault("badRequest"));
        assertHeaders(response, "3.0");
        assertEquals(
                400, api.request("PUT", "/v3/os-services/freeze").json("[1]").send().status);
        assertEquals(400, api.request("PUT", "/v3/os-services/freeze").send().status);
        assertTrue(fake.calls().isEmpty());
    }

    @Test
    void unknownKeysAre400() {
        Response response = api.request("PUT", "/v3/os-services/freeze")
                .json("{\"host\": \"n1@b\", \"hots\": \"x\"}")
                .send();
        assertEquals(400, response.status);
        assertEquals("Additional properties are not allowed ('hots' was unexpected)", response.fault("badRequest"));
        assertTrue(fake.calls().isEmpty());
    }

    @Test
    void aBodyOverOneMebibyteIs413() {
        String huge = "{\"host\": \"" + "a".repeat(1 << 20) + "\"}";
        Response response =
                api.request("PUT", "/v3/os-services/freeze").json(huge).send();
        assertEquals(413, response.status);
        assertTrue(response.fault("overLimit").contains("1048576"), response.body);
        assertHeaders(response, "3.0");
        // Streamed without a Content-Length: refused once the limit is crossed.
        Response streamed = api.request("PUT", "/v3/os-services/freeze")
                .json(huge)
                .chunked()
                .send();
        assertEquals(413, streamed.status);
        assertHeaders(streamed, "3.0");
        assertTrue(fake.calls().isEmpty());
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        Response response = api.request("PUT", "/v3/os-services/freeze")
                .header("Content-Type", "text/plain")
                .json("{\"host\":\"n1@b\"}")
                .send();
        assertEquals(415, response.status);
        assertTrue(response.fault("badMediaType").contains("text/plain"), response.body);
    }

    @Test
    void requestIdsAreNewOnEveryResponseAndReachTheBackend() {
        Response first = api.request("GET", "/v3/os-services").send();
        Response second = api.request("GET", "/v3/os-services").send();
        assertNotEquals(first.header("X-OpenStack-Request-Id"), second.header("X-OpenStack-Request-Id"));
        List<FakeReplication.Call> calls = fake.calls("ListServices");
        assertEquals(first.header("X-OpenStack-Request-Id"), calls.get(0).header("x-openstack-request-id"));
        assertEquals(second.header("X-OpenStack-Request-Id"), calls.get(1).header("x-openstack-request-id"));
        assertEquals("admin", calls.get(0).header("x-tandem-user"));
        // Every call carries a deadline (tandem.api.call-timeout).
        assertTrue(calls.get(0).header("grpc-timeout") != null, calls.get(0).toString());
    }

    @Test
    void aBackendErrorMapsThroughTheTable() {
        fake.fail("ListServices", Status.ABORTED.withDescription("a member registered meanwhile; retry"));
        Response conflict = api.request("GET", "/v3/os-services").send();
        assertEquals(409, conflict.status);
        assertEquals("a member registered meanwhile; retry", conflict.fault("conflictingRequest"));
        assertHeaders(conflict, "3.0");

        fake.fail("ListServices", Status.UNIMPLEMENTED.withDescription("not built yet"));
        assertEquals(
                "not built yet", api.request("GET", "/v3/os-services").send().fault("notImplemented"));
    }

    @Test
    void aBackendFaultIs500WithoutItsDetails() {
        fake.fail("ListServices", Status.INTERNAL.withDescription("NullPointerException in ServicesEndpoint"));
        Response response = api.request("GET", "/v3/os-services").send();
        assertEquals(500, response.status);
        assertEquals(
                "The server has either erred or is incapable of performing the requested operation.",
                response.fault("computeFault"));
        assertFalse(response.body.contains("NullPointer"));
        assertHeaders(response, "3.0");
    }

    @Test
    void aBugIs500WithoutItsDetails() {
        Response response =
                api.request("GET", "/v3/test-only/bug").version("3.26").send();
        assertEquals(500, response.status);
        assertEquals(
                "The server has either erred or is incapable of performing the requested operation.",
                response.fault("computeFault"));
        assertFalse(response.body.contains("hunter2"), response.body);
        assertFalse(response.body.contains("FailingController"), response.body);
        assertHeaders(response, "3.26");
    }

    @Test
    void aBackendsOwnUnavailabilityKeepsItsMessage() {
        // replication-svc answered, but its database is down: its words, not "replication-svc is unavailable".
        fake.fail("ListServices", Status.UNAVAILABLE.withDescription("PostgreSQL at db:5432 is unreachable"));
        Response response = api.request("GET", "/v3/os-services").send();
        assertEquals(503, response.status);
        assertEquals("PostgreSQL at db:5432 is unreachable", response.fault("serviceUnavailable"));
    }

    @Test
    void aBackendThatIsDownIs503NamingIt() {
        String nobody = "127.0.0.1:" + freePort();
        try (ApiServer orphan = ApiServer.start(nobody)) {
            Response response = orphan.request("GET", "/v3/os-services").send();
            assertEquals(503, response.status);
            String message = response.fault("serviceUnavailable");
            assertTrue(message.startsWith("replication-svc at " + nobody + " is unavailable"), message);
            assertHeaders(response, "3.0");
        }
    }

    @Test
    void aBackendThatDoesNotAnswerInTimeIs503() {
        try (ApiServer impatient = ApiServer.start(fake.address(), Map.of("tandem.api.call-timeout", "300ms"))) {
            fake.hang("ListServices");
            Response response = impatient.request("GET", "/v3/os-services").send();
            assertEquals(503, response.status);
            assertEquals(
                    "replication-svc at " + fake.address() + " did not answer within 300 ms",
                    response.fault("serviceUnavailable"));
        }
    }

    @Test
    void aBackendThatCameBackIsUsedAgainAtOnce() {
        int port = freePort();
        try (ApiServer api = ApiServer.start("127.0.0.1:" + port)) {
            assertEquals(503, api.request("GET", "/v3/os-services").send().status);
            try (FakeReplication late = new FakeReplication(port)) {
                late.answer(
                        "ListServices",
                        ListServicesResponse.newBuilder()
                                .addServices(
                                        Service.newBuilder().setHost("n1@b").setBinary("volume"))
                                .build());
                Response response = api.request("GET", "/v3/os-services").send();
                assertEquals(200, response.status, response.toString());
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
