package io.tandem.api;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.tandem.runtime.startup.SchemaMigration;
import io.tandem.runtime.startup.ServiceRegistration;
import jakarta.inject.Singleton;

/**
 * api-svc in these tests talks only to a fake replication-svc: the runtime's start-up steps that need PostgreSQL and
 * etcd (schema migration, self-registration) step aside in the test environment. The real process runs them; the
 * system tests cover that.
 */
final class WithoutDatabase {
    private WithoutDatabase() {}

    @Context
    @Replaces(SchemaMigration.class)
    @Requires(env = ApiServer.ENVIRONMENT)
    static class NoSchemaMigration {}

    @Singleton
    @Replaces(ServiceRegistration.class)
    @Requires(env = ApiServer.ENVIRONMENT)
    static class NoServiceRegistration implements ApplicationEventListener<ServerStartupEvent> {
        // Replacements are found among the candidates of the type being looked up: a listener, like the original.
        @Override
        public void onApplicationEvent(ServerStartupEvent event) {}
    }
}
