package io.tandem.api;

import static io.tandem.api.ApiServer.assertHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.api.ApiServer.Response;
import io.tandem.api.ApiServer.Token;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both auth strategies over HTTP: who gets in (401), who may do what (403), and who the backends are told. */
class AuthHttpTest extends AgainstFakeBackend<FakeReplication> {
    private final ApiServer tokens = startWithTokens(
            new Token("adm-secret", "root", "ops", "admin"), new Token("mem-secret", "bob", "p2", "member"));

    AuthHttpTest() {
        super(new FakeReplication());
    }

    @Test
    void noauthNeedsAUserProjectTokenAndMakesAnAdmin() {
        assertEquals(401, api.bare("GET", "/v3/p1/os-services").send().status);
        Response ok = api.bare("GET", "/v3/p9/os-services")
                .header("X-Auth-Token", "alice:p9")
                .send();
        assertEquals(200, ok.status);
        assertEquals("alice", fake.only("ListServices").header("x-tandem-user"));
    }

    @Test
    void tokenModeRefusesMissingAndUnknownTokens() {
        for (Response response : List.of(
                tokens.bare("GET", "/v3/ops/os-services").send(),
                tokens.bare("GET", "/v3/ops/os-services")
                        .header("X-Auth-Token", "guess")
                        .send(),
                tokens.bare("GET", "/v3/ops/os-services")
                        .header("X-Auth-Token", "admin:ops")
                        .send())) {
            assertEquals(401, response.status);
            assertEquals("The request you have made requires authentication.", response.fault("unauthorized"));
            assertHeaders(response, "3.0");
        }
        assertTrue(fake.calls().isEmpty());
    }

    @Test
    void versionDiscoveryNeedsNoToken() {
        assertEquals(300, tokens.bare("GET", "/").send().status);
        assertEquals(200, tokens.bare("GET", "/v3/").send().status);
    }

    @Test
    void aMemberMayNotUseAdminRoutes() {
        Response list = tokens.bare("GET", "/v3/p2/os-services")
                .header("X-Auth-Token", "mem-secret")
                .version("3.26")
                .send();
        assertEquals(403, list.status);
        assertEquals("Policy doesn't allow volume_extension:services:index to be performed.", list.fault("forbidden"));
        assertHeaders(list, "3.26");

        Response freeze = tokens.bare("PUT", "/v3/p2/os-services/freeze")
                .header("X-Auth-Token", "mem-secret")
                .json("{\"host\":\"n1@b\"}")
                .send();
        assertEquals(403, freeze.status);
        assertEquals(
                "Policy doesn't allow volume_extension:services:update to be performed.", freeze.fault("forbidden"));
        assertTrue(fake.calls().isEmpty());
    }

    @Test
    void anAdminTokenWorksInAnyProjectAndNamesItsUser() {
        assertEquals(
                200,
                tokens.bare("GET", "/v3/ops/os-services")
                        .header("X-Auth-Token", "adm-secret")
                        .send()
                        .status);
        assertEquals(
                200,
                tokens.bare("GET", "/v3/another-project/os-services")
                        .header("X-Auth-Token", "adm-secret")
                        .send()
                        .status);
        assertEquals("root", fake.calls("ListServices").get(0).header("x-tandem-user"));
    }
}
