package io.tandem.volume.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.EnvironmentSpelling;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.testing.TestDatabase;
import io.tandem.testing.TestPostgres;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@code tandem.volume.*} as operators write it: YAML, indexed keys and environment variables, with the defaults the
 * Javadoc promises. (A context needs a database: the schema migration runs when it starts.)
 */
class VolumeNodeConfigurationTest {
    private static final TestDatabase DATABASE = TestPostgres.shared().createDatabase();

    @Test
    void defaults() {
        withContext(Map.of(), context -> {
            VolumeNodeConfiguration config = context.getBean(VolumeNodeConfiguration.class);
            assertEquals("shared-filesystem", config.getDriver());
            assertEquals(Duration.ofSeconds(10), config.getStatsInterval());
            assertEquals(Duration.ofSeconds(1), config.getCleanupGrace());
            assertEquals(Duration.ofSeconds(30), config.getCleanupInterval());
            assertEquals(Duration.ofMinutes(2), config.getOrphanAge());
            assertEquals(Duration.ofSeconds(10), config.getDrainTimeout());
            assertEquals(Duration.ofSeconds(10), config.getReplicationInterval());
            assertEquals(null, config.clusterOrNull());
            assertTrue(targets(context).isEmpty());
            assertThrows(InvalidArgumentException.class, config::requireBackend);
        });
    }

    @Test
    void yamlListsAndMapsKeepTheirKeys() {
        withContext(
                Map.of(
                        "tandem.volume.replication-targets",
                        List.of(
                                Map.of("backend-id", "b", "location", "/sites/b"),
                                Map.of("backend-id", "c", "location", "/sites/c")),
                        "tandem.volume.driver-options.delay.create",
                        "2s",
                        "tandem.volume.driver-options.capacity-gb",
                        "7",
                        "tandem.volume.stats-interval",
                        "3s"),
                context -> {
                    VolumeNodeConfiguration config = context.getBean(VolumeNodeConfiguration.class);
                    assertEquals(Map.of("delay.create", "2s", "capacity-gb", "7"), config.effectiveDriverOptions());
                    assertEquals(Duration.ofSeconds(3), config.getStatsInterval());
                    assertEquals("[b=/sites/b, c=/sites/c]", targets(context).toString());
                });
    }

    @Test
    void theEnvironmentSpellings() {
        Map<String, String> environment = Map.of(
                "TANDEM_VOLUME_CLUSTER", "cluster1@fs1",
                "TANDEM_VOLUME_PRIMARY_LOCATION", "/sites/a",
                "TANDEM_VOLUME_REPLICATION_TARGETS_0__BACKEND_ID", "secondary",
                "TANDEM_VOLUME_REPLICATION_TARGETS_0__LOCATION", "/sites/b",
                "TANDEM_VOLUME_DRIVER_OPTION_PAIRS", "capacity-gb=100,delay.create=2s",
                "TANDEM_VOLUME_ORPHAN_AGE", "5m",
                "TANDEM_VOLUME_REPLICATION_INTERVAL", "750ms");
        Map<String, Object> base = base();
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(base)
                .propertySources(EnvironmentSpelling.of(environment))
                .deduceEnvironment(false)
                .start()) {
            VolumeNodeConfiguration config = context.getBean(VolumeNodeConfiguration.class);
            assertEquals("cluster1@fs1", config.clusterOrNull());
            assertEquals("/sites/a", config.getPrimaryLocation());
            assertEquals(Map.of("capacity-gb", "100", "delay.create", "2s"), config.effectiveDriverOptions());
            assertEquals(Duration.ofMinutes(5), config.getOrphanAge());
            assertEquals(Duration.ofMillis(750), config.getReplicationInterval());
            assertEquals("[secondary=/sites/b]", targets(context).toString());
        }
    }

    @Test
    void badTargetsAreRefusedWithTheirPlaceInTheList() {
        withContext(
                Map.of(
                        "tandem.volume.replication-targets[0].backend-id", "ok",
                        "tandem.volume.replication-targets[0].location", "/a",
                        "tandem.volume.replication-targets[1].backend-id", "ok",
                        "tandem.volume.replication-targets[1].location", "/b"),
                context -> {
                    var twice = assertThrows(
                            InvalidArgumentException.class,
                            () -> ReplicationTargetConfiguration.checked(
                                    context.getBeansOfType(ReplicationTargetConfiguration.class).stream()
                                            .toList()));
                    assertEquals(
                            "tandem.volume.replication-targets[1]: backend id 'ok' appears twice", twice.getMessage());
                });
        withContext(Map.of("tandem.volume.replication-targets[0].backend-id", "x"), context -> {
            var noLocation = assertThrows(InvalidArgumentException.class, () -> targets(context));
            assertTrue(noLocation.getMessage().contains("location must be set"), noLocation.getMessage());
        });
    }

    private static List<ReplicationTargetConfiguration> targets(ApplicationContext context) {
        return ReplicationTargetConfiguration.checked(
                List.copyOf(context.getBeansOfType(ReplicationTargetConfiguration.class)));
    }

    private static void withContext(Map<String, Object> properties, Consumer<ApplicationContext> check) {
        Map<String, Object> all = base();
        all.putAll(properties);
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(all)
                .deduceEnvironment(false)
                .start()) {
            check.accept(context);
        }
    }

    private static Map<String, Object> base() {
        Map<String, Object> base = new HashMap<>();
        base.put("tandem.database.url", DATABASE.jdbcUrl());
        base.put("tandem.database.username", DATABASE.username());
        return base;
    }
}
