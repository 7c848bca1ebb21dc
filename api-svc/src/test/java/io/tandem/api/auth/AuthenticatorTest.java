package io.tandem.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.api.config.AuthConfiguration;
import io.tandem.api.config.AuthConfiguration.Strategy;
import io.tandem.api.config.TokenConfiguration;
import io.tandem.core.error.InvalidArgumentException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    @Test
    void noauthTakesUserAndProjectFromTheTokenAndMakesAnAdmin() {
        Authenticator noauth = authenticator(Strategy.NOAUTH, List.of());
        assertEquals(Optional.of(new Caller("alice", "p1", true)), noauth.authenticate("alice:p1"));
        // Cinder's noauth: without a project part the project is the user.
        assertEquals(Optional.of(new Caller("alice", "alice", true)), noauth.authenticate("alice"));
        assertEquals(Optional.of(new Caller("alice", "alice", true)), noauth.authenticate("alice:"));
        assertTrue(noauth.authenticate(null).isEmpty());
        assertTrue(noauth.authenticate("").isEmpty());
    }

    @Test
    void tokenModeKnowsOnlyTheConfiguredTokensAndTheirRoles() {
        Authenticator tokens = authenticator(
                Strategy.TOKEN,
                List.of(
                        token(0, "adm", "root", "ops", List.of("admin")),
                        token(1, "mem", "bob", "p2", List.of("member"))));
        assertEquals(Optional.of(new Caller("root", "ops", true)), tokens.authenticate("adm"));
        assertEquals(Optional.of(new Caller("bob", "p2", false)), tokens.authenticate("mem"));
        assertTrue(tokens.authenticate("admin:p1").isEmpty());
        assertTrue(tokens.authenticate("me").isEmpty());
        assertTrue(tokens.authenticate(null).isEmpty());
    }

    @Test
    void anIncompleteTokenEntryStopsTheStart() {
        InvalidArgumentException e = assertThrows(
                InvalidArgumentException.class,
                () -> authenticator(Strategy.TOKEN, List.of(token(0, "t", "u", null, List.of("admin")))));
        assertEquals("tandem.api.auth.tokens[0] needs token, user and project", e.getMessage());
        e = assertThrows(
                InvalidArgumentException.class,
                () -> authenticator(Strategy.TOKEN, List.of(token(3, "t", "u", "p", List.of("root")))));
        assertEquals("tandem.api.auth.tokens[3].roles: unknown role root (admin or member)", e.getMessage());
    }

    private static Authenticator authenticator(Strategy strategy, List<TokenConfiguration> tokens) {
        AuthConfiguration config = new AuthConfiguration();
        config.setStrategy(strategy);
        return new Authenticator(config, tokens);
    }

    private static TokenConfiguration token(int index, String token, String user, String project, List<String> roles) {
        TokenConfiguration entry = new TokenConfiguration(index);
        entry.setToken(token);
        entry.setUser(user);
        entry.setProject(project);
        entry.setRoles(roles);
        return entry;
    }
}
