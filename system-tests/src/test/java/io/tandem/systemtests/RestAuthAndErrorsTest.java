package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * api-svc in token mode, configured only through environment variables as an operator would, in front of the real
 * services: 401 without a valid token, 403 for a member on admin routes and on another project's volumes; and the
 * request errors every route shares (malformed JSON, unknown keys, an oversize body, unknown ids, a wrong method),
 * each a Cinder fault body with no trace of the server's internals.
 */
class RestAuthAndErrorsTest {
    private static RestStack system;

    @BeforeAll
    static void startTheSystem() {
        system = RestStack.start(RestAuthAndErrorsTest.class, true);
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void tokensDecideWhoMayCallWhat() {
        Rest admin = system.tokenRest(RestStack.ADMIN);
        Rest alice = system.tokenRest(RestStack.MEMBER);

        assertEquals(200, admin.get("/v3/ops/os-services", "3.26").status());
        assertEquals(200, alice.get("/v3/project-a/volumes", "3.26").status());

        Rest.Response adminRoute = alice.get("/v3/project-a/os-services", "3.26");
        assertEquals(403, adminRoute.status(), adminRoute.toString());
        assertEquals(Optional.of("forbidden"), adminRoute.faultName(), adminRoute.toString());
        Rest.Response otherProject = alice.get("/v3/project-b/volumes", "3.26");
        assertEquals(403, otherProject.status(), otherProject.toString());

        Rest anonymous = new Rest(system.tokenApi().port());
        Rest.Response noToken = anonymous.get("/v3/project-a/volumes", "3.26");
        assertEquals(401, noToken.status(), noToken.toString());
        Rest.Response badToken = anonymous.withToken("not-a-token").get("/v3/project-a/volumes", "3.26");
        assertEquals(401, badToken.status(), badToken.toString());
        assertEquals(Optional.of("unauthorized"), badToken.faultName(), badToken.toString());
    }

    @Test
    void badRequestsGetCinderFaultsAndChangeNothing() {
        Rest rest = system.rest("P");
        long volumesBefore = system.db().scalar("SELECT count(*) FROM volumes");

        Rest.Response malformed = rest.request("POST", "/v3/P/volumes")
                .version("3.26")
                .header("Content-Type", "application/json")
                .body("{\"volume\": {\"size\": 1,")
                .send();
        assertEquals(400, malformed.status(), malformed.toString());
        assertEquals(Optional.of("badRequest"), malformed.faultName(), malformed.toString());

        Rest.Response unknownKey =
                rest.post("/v3/P/volumes", Map.of("volume", Map.of("size", 1, "colour", "red")), "3.26");
        assertEquals(400, unknownKey.status(), unknownKey.toString());
        assertTrue(unknownKey.faultMessage().orElse("").contains("colour"), unknownKey.toString());

        String huge = "{\"volume\": {\"size\": 1, \"description\": \"" + "x".repeat(2 << 20) + "\"}}";
        Rest.Response tooLarge = rest.request("POST", "/v3/P/volumes")
                .version("3.26")
                .header("Content-Type", "application/json")
                .body(huge)
                .send();
        assertEquals(413, tooLarge.status(), tooLarge.status() + " " + tooLarge.headers());

        String unknownId = UUID.randomUUID().toString();
        Rest.Response notFound = rest.get("/v3/P/volumes/" + unknownId, "3.26");
        assertEquals(404, notFound.status(), notFound.toString());
        assertEquals(
                Optional.of("Volume " + unknownId + " could not be found."),
                notFound.faultMessage(),
                notFound.toString());
        Rest.Response unknownCluster = rest.get("/v3/P/clusters/nope@fs", "3.26");
        assertEquals(404, unknownCluster.status(), unknownCluster.toString());

        Rest.Response wrongMethod = rest.delete("/v3/P/os-services", "3.26");
        assertEquals(405, wrongMethod.status(), wrongMethod.toString());

        for (Rest.Response response : new Rest.Response[] {malformed, unknownKey, tooLarge, notFound, wrongMethod}) {
            assertFalse(response.body().contains("Exception"), response.toString());
            assertFalse(response.body().contains("\tat "), response.toString());
            assertTrue(response.header("X-OpenStack-Request-Id").isPresent(), response.toString());
        }
        assertEquals(volumesBefore, system.db().scalar("SELECT count(*) FROM volumes"), "no volume was written");
    }
}
