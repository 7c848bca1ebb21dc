package io.tandem.runtime.startup;

import io.micronaut.context.annotation.Context;
import io.tandem.persistence.Migrations;
import io.tandem.runtime.config.DatabaseConfiguration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every service migrates the schema at start (configurable off), before it serves anything. Flyway's advisory lock
 * makes several services starting at once safe: one applies, the others find nothing to do.
 */
@Context
public class SchemaMigration {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    public SchemaMigration(DatabaseConfiguration config, DataSource dataSource) {
        if (!config.isMigrate()) {
            LOG.info("Schema migrations disabled (tandem.database.migrate=false)");
            return;
        }
        int applied = Migrations.apply(dataSource);
        LOG.info("Database {}: {} migration(s) applied", config.endpoint(), applied);
    }
}
