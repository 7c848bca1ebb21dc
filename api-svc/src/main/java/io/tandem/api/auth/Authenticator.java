package io.tandem.api.auth;

import io.micronaut.core.annotation.Nullable;
import io.tandem.api.config.AuthConfiguration;
import io.tandem.api.config.AuthConfiguration.Strategy;
import io.tandem.api.config.TokenConfiguration;
import io.tandem.core.error.InvalidArgumentException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns an {@code X-Auth-Token} into a {@link Caller}, by the configured strategy. */
@Singleton
public class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

    private final Strategy strategy;
    private final List<TokenConfiguration> tokens;

    public Authenticator(AuthConfiguration config, List<TokenConfiguration> tokens) {
        this.strategy = config.getStrategy();
        this.tokens = List.copyOf(tokens);
        if (strategy == Strategy.TOKEN) {
            // A half-written entry would lock its user out with a 401 nobody can explain: refuse to start instead.
            this.tokens.forEach(Authenticator::validate);
            if (this.tokens.isEmpty()) {
                LOG.warn("tandem.api.auth.strategy is token but no tokens are configured: every request will be 401");
            }
        } else {
            LOG.info("Authentication: noauth (X-Auth-Token <user>:<project>, every caller is an admin)");
        }
    }

    /** The caller {@code token} names, or empty (401). */
    public Optional<Caller> authenticate(@Nullable String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return strategy == Strategy.NOAUTH ? Optional.of(noauth(token)) : configured(token);
    }

    /** Cinder's noauth middleware: "user:project", or "user" alone for a project of the same name. */
    private static Caller noauth(String token) {
        int colon = token.indexOf(':');
        String user = colon < 0 ? token : token.substring(0, colon);
        String project = colon < 0 || colon == token.length() - 1 ? user : token.substring(colon + 1);
        return new Caller(user, project, true);
    }

    private Optional<Caller> configured(String token) {
        byte[] offered = token.getBytes(StandardCharsets.UTF_8);
        for (TokenConfiguration entry : tokens) {
            // Constant-time comparison: response timing must not reveal how much of a token was right.
            if (MessageDigest.isEqual(offered, entry.getToken().getBytes(StandardCharsets.UTF_8))) {
                boolean admin = entry.getRoles().stream()
                        .anyMatch(r -> r.toLowerCase(Locale.ROOT).equals("admin"));
                return Optional.of(new Caller(entry.getUser(), entry.getProject(), admin));
            }
        }
        return Optional.empty();
    }

    private static void validate(TokenConfiguration entry) {
        String prefix = "tandem.api.auth.tokens[" + entry.index() + "]";
        if (isBlank(entry.getToken()) || isBlank(entry.getUser()) || isBlank(entry.getProject())) {
            throw new InvalidArgumentException(prefix + " needs token, user and project");
        }
        for (String role : entry.getRoles()) {
            if (!List.of("admin", "member").contains(role.toLowerCase(Locale.ROOT))) {
                throw new InvalidArgumentException(prefix + ".roles: unknown role " + role + " (admin or member)");
            }
        }
    }

    private static boolean isBlank(@Nullable String s) {
        return s == null || s.isBlank();
    }
}
