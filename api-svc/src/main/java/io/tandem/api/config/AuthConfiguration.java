package io.tandem.api.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * How callers authenticate: {@code tandem.api.auth.strategy} ({@code TANDEM_API_AUTH_STRATEGY}). The tokens of the
 * {@code token} strategy are {@link TokenConfiguration} entries.
 */
@ConfigurationProperties("tandem.api.auth")
public class AuthConfiguration {
    /** The two strategies of docs/rest-api.md. */
    public enum Strategy {
        /**
         * Development (Cinder's {@code auth_strategy = noauth}): {@code X-Auth-Token: <user>:<project>} names the
         * caller, who is an admin. Without the header: 401.
         */
        NOAUTH,
        /** Real deployments: the token must be one of the configured ones, which carry user, project and roles. */
        TOKEN
    }

    private Strategy strategy = Strategy.NOAUTH;

    public Strategy getStrategy() {
        return strategy;
    }

    public void setStrategy(Strategy strategy) {
        this.strategy = strategy;
    }
}
