package io.tandem.runtime.startup;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.tandem.runtime.config.DatabaseConfiguration;
import jakarta.inject.Singleton;

/** The connection pool every repository shares. */
@Factory
public class DataSourceFactory {

    @Singleton
    @Bean(preDestroy = "close")
    HikariDataSource dataSource(DatabaseConfiguration config, DatabaseReadiness readiness) {
        // The pool is built only after start-up has seen the database answer: see DatabaseReadiness.
        readiness.await();
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.getUrl());
        hikari.setUsername(config.getUsername());
        hikari.setPassword(config.getPassword());
        hikari.setMaximumPoolSize(config.getMaxPoolSize());
        hikari.setConnectionTimeout(config.getConnectionTimeout().toMillis());
        hikari.setPoolName("tandem");
        return new HikariDataSource(hikari);
    }
}
