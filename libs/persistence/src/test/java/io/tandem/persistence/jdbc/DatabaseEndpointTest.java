package io.tandem.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class DatabaseEndpointTest {
    @Test
    void namesHostAndPortOfAUrl() {
        assertEquals("db:5432", DatabaseEndpoint.fromJdbcUrl("jdbc:postgresql://db/tandem"));
        assertEquals(
                "127.0.0.1:55432",
                DatabaseEndpoint.fromJdbcUrl("jdbc:postgresql://127.0.0.1:55432/tandem?user=x&password=secret"));
        assertEquals("a:1,b:5432", DatabaseEndpoint.fromJdbcUrl("jdbc:postgresql://a:1,b/tandem"));
        assertEquals("[::1]:5433", DatabaseEndpoint.fromJdbcUrl("jdbc:postgresql://[::1]:5433/tandem"));
        assertEquals("[::1]:5432", DatabaseEndpoint.fromJdbcUrl("jdbc:postgresql://[::1]/tandem"));
        assertEquals("localhost:5432", DatabaseEndpoint.fromJdbcUrl("jdbc:postgresql:tandem"));
        assertEquals("localhost:5432", DatabaseEndpoint.fromJdbcUrl("jdbc:postgresql:///tandem"));
        assertEquals(DatabaseEndpoint.UNKNOWN, DatabaseEndpoint.fromJdbcUrl("jdbc:mysql://db/tandem"));
        assertEquals(DatabaseEndpoint.UNKNOWN, DatabaseEndpoint.fromJdbcUrl(null));
    }

    @Test
    void findsTheUrlOfAPgjdbcDataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl("jdbc:postgresql://pg.example:6543/tandem");
        assertEquals("pg.example:6543", DatabaseEndpoint.of(dataSource));
    }
}
