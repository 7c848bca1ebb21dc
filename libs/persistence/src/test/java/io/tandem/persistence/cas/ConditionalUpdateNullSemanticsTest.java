package io.tandem.persistence.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.persistence.TestDatabases;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.SqlFunction;
import io.tandem.persistence.jdbc.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NULL compares like a value. Three rows differ only in {@code previous_status}: {@code a} = 'available', {@code e} =
 * 'error', {@code n} = NULL. Every expectation is run against all three, in a transaction that is rolled back.
 */
class ConditionalUpdateNullSemanticsTest {
    private static final String PROJECT = "null-semantics";
    private static DataSource db;

    @BeforeAll
    static void rows() {
        db = TestDatabases.migrated().dataSource();
        insert("a", "available");
        insert("e", "error");
        insert("n", null);
    }

    static Stream<Arguments> expectations() {
        return Stream.of(
                Arguments.of("eq(null)", Condition.eq("previous_status", null), Set.of("n")),
                Arguments.of("eq(x)", Condition.eq("previous_status", "available"), Set.of("a")),
                Arguments.of("notEq(null)", Condition.notEq("previous_status", null), Set.of("a", "e")),
                Arguments.of("notEq(x)", Condition.notEq("previous_status", "available"), Set.of("e", "n")),
                Arguments.of(
                        "in(x, y)", Condition.in("previous_status", List.of("available", "error")), Set.of("a", "e")),
                Arguments.of(
                        "in(x, null)",
                        Condition.in("previous_status", Arrays.asList("available", null)),
                        Set.of("a", "n")),
                Arguments.of("in(null)", Condition.in("previous_status", Arrays.asList((Object) null)), Set.of("n")),
                Arguments.of("in()", Condition.in("previous_status", List.of()), Set.of()),
                Arguments.of("notIn(x)", Condition.notIn("previous_status", List.of("available")), Set.of("e", "n")),
                Arguments.of(
                        "notIn(x, y)", Condition.notIn("previous_status", List.of("available", "error")), Set.of("n")),
                Arguments.of(
                        "notIn(x, null)",
                        Condition.notIn("previous_status", Arrays.asList("available", null)),
                        Set.of("e")),
                Arguments.of(
                        "notIn(null)",
                        Condition.notIn("previous_status", Arrays.asList((Object) null)),
                        Set.of("a", "e")),
                Arguments.of("notIn()", Condition.notIn("previous_status", List.of()), Set.of("a", "e", "n")),
                Arguments.of(
                        "all(notEq(x), notEq(null))",
                        Condition.all(
                                Condition.notEq("previous_status", "available"),
                                Condition.notEq("previous_status", null)),
                        Set.of("e")));
    }

    @ParameterizedTest(name = "{0} matches {2}")
    @MethodSource("expectations")
    void expectationMatchesExactly(String name, Condition condition, Set<String> expected) throws SQLException {
        assertEquals(new TreeSet<>(expected), updatedRows(condition), name);
    }

    @ParameterizedTest(name = "CASE WHEN {0} picks {2}")
    @MethodSource("expectations")
    void caseBranchesUseTheSameSemantics(String name, Condition condition, Set<String> expected) throws SQLException {
        Case hitOrMiss = Case.when(condition, Value.literal("hit")).orElse(Value.literal("miss"));
        Set<String> hits = rolledBack(c -> new TreeSet<>(ConditionalUpdate.table("volumes")
                .eq("project_id", PROJECT)
                .setCase("description", hitOrMiss)
                .executeReturning(c, row -> row.getString("name") + "=" + row.getString("description"))));
        Set<String> wanted = new TreeSet<>();
        for (String row : List.of("a", "e", "n")) {
            wanted.add(row + "=" + (expected.contains(row) ? "hit" : "miss"));
        }
        assertEquals(wanted, hits, name);
    }

    @Test
    void plainSqlWouldHaveSkippedTheNullRow() throws SQLException {
        // The trap the helper exists for: SQL's <> and NOT IN never match NULL.
        Set<String> plain = rolledBack(c -> new TreeSet<>(Queries.list(
                c,
                "SELECT name FROM volumes WHERE project_id = ? AND previous_status NOT IN ('available')",
                row -> row.getString(1),
                PROJECT)));
        assertEquals(Set.of("e"), plain);
        assertEquals(Set.of("e", "n"), updatedRows(Condition.notIn("previous_status", List.of("available"))));
    }

    private static Set<String> updatedRows(Condition condition) throws SQLException {
        return rolledBack(c -> new TreeSet<>(ConditionalUpdate.table("volumes")
                .eq("project_id", PROJECT)
                .where(condition)
                .set("description", "hit")
                .returning("name")
                .executeReturning(c, row -> row.getString("name"))));
    }

    private static <T> T rolledBack(SqlFunction<T> work) throws SQLException {
        try (Connection connection = db.getConnection()) {
            connection.setAutoCommit(false);
            try {
                return work.apply(connection);
            } finally {
                connection.rollback();
            }
        }
    }

    private static void insert(String name, String previousStatus) {
        Transactions.withConnection(
                db,
                c -> Queries.update(
                        c,
                        "INSERT INTO volumes (id, project_id, name, size_gb, status, previous_status)"
                                + " VALUES (?, ?, ?, 1, 'available', ?)",
                        UUID.randomUUID(),
                        PROJECT,
                        name,
                        previousStatus));
    }
}
