package io.tandem.persistence.cas;

import io.tandem.persistence.jdbc.Identifiers;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.RowMapper;
import io.tandem.persistence.jdbc.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Compare-and-swap on rows of one table: {@code UPDATE t SET … WHERE <expectations>}, where the returned row count
 * decides who won. This is how Tandem changes state (the status is the lock; never read, check, then write),
 * modelled on Cinder's {@code conditional_update} but returning the count rather than a boolean, because one
 * statement may legitimately change many rows (every service of a cluster).
 *
 * <pre>{@code
 * int won = ConditionalUpdate.table("volumes")
 *         .eq("id", volumeId)
 *         .in("status", List.of("available", "error"))
 *         .filter("NOT EXISTS (SELECT 1 FROM workers w WHERE w.resource_type = 'Volume'"
 *                 + " AND w.resource_id = volumes.id::text)")
 *         .setColumn("previous_status", "status")
 *         .set("status", "deleting")
 *         .execute(connection);
 * }</pre>
 *
 * <p>Expectations ({@link #eq}, {@link #notEq}, {@link #in}, {@link #notIn}) compare <b>NULL like a value</b>:
 * {@code eq(c, null)} is {@code c IS NULL}; {@code notEq(c, x)} also matches rows where {@code c} is NULL; {@code
 * in(c, [x, null])} also matches NULL; {@code notIn(c, [x])} matches NULL rows while {@code notIn(c, [x, null])}
 * does not. The full table is in {@link Condition}. Filters ({@link #filter}) are raw SQL with bound parameters, and
 * all expectations and filters must hold together (AND).
 *
 * <p>New values are literals ({@link #set}, bound, null allowed), copies of other columns ({@link #setColumn}),
 * expressions ({@link #setExpression}, e.g. {@code race_preventer + 1}) or CASE values ({@link #setCase}). Every
 * SET expression sees the row as it was before the update. {@code updated_at = now()} is added unless the caller
 * sets {@code updated_at} or calls {@link #keepUpdatedAt()}.
 *
 * <p>Table and column names are checked as plain identifiers and quoted, so no name can inject SQL; values always
 * travel as parameters. Raw fragments (filters, expressions) must be constants of the calling code. At least one
 * expectation or filter is required, so a forgotten WHERE cannot update a whole table. A builder is mutable and
 * meant for one thread; it may be executed more than once.
 */
public final class ConditionalUpdate {
    private static final String UPDATED_AT = "updated_at";

    private final String table;
    private final List<Condition> conditions = new ArrayList<>();
    // Column → renderer of its new value, in the order the caller set them.
    private final Map<String, Consumer<SqlBuilder>> assignments = new LinkedHashMap<>();
    private final List<String> returning = new ArrayList<>();
    private boolean touchUpdatedAt = true;

    private ConditionalUpdate(String table) {
        this.table = Identifiers.check(table);
    }

    /** Starts an update of {@code table}. */
    public static ConditionalUpdate table(String table) {
        return new ConditionalUpdate(table);
    }

    /** Expects {@code column} to equal {@code value} (null: to be NULL). */
    public ConditionalUpdate eq(String column, Object value) {
        return where(Condition.eq(column, value));
    }

    /** Expects {@code column} to differ from {@code value}; NULL differs from every non-null value. */
    public ConditionalUpdate notEq(String column, Object value) {
        return where(Condition.notEq(column, value));
    }

    /** Expects {@code column} to be one of {@code values}; a null element admits NULL. */
    public ConditionalUpdate in(String column, Collection<?> values) {
        return where(Condition.in(column, values));
    }

    /** Expects {@code column} to be none of {@code values}; NULL is admitted unless {@code values} holds null. */
    public ConditionalUpdate notIn(String column, Collection<?> values) {
        return where(Condition.notIn(column, values));
    }

    /** Adds a raw SQL condition with {@code ?} placeholders bound to {@code params} (see {@link Condition#sql}). */
    public ConditionalUpdate filter(String sql, Object... params) {
        return where(Condition.sql(sql, params));
    }

    /** Adds a prepared condition. */
    public ConditionalUpdate where(Condition condition) {
        conditions.add(Objects.requireNonNull(condition, "condition"));
        return this;
    }

    /** Sets {@code column} to a literal, bound as a parameter; null sets NULL. */
    public ConditionalUpdate set(String column, Object literal) {
        return setValue(column, Value.literal(literal));
    }

    /** Sets {@code column} to the current value of {@code sourceColumn} of the same row. */
    public ConditionalUpdate setColumn(String column, String sourceColumn) {
        return setValue(column, Value.column(sourceColumn));
    }

    /** Sets {@code column} to an SQL expression, e.g. {@code race_preventer + 1} or {@code epoch + ?}. */
    public ConditionalUpdate setExpression(String column, String sql, Object... params) {
        return setValue(column, Value.expression(sql, params));
    }

    /** Sets {@code column} to a prepared value. */
    public ConditionalUpdate setValue(String column, Value value) {
        Objects.requireNonNull(value, "value");
        claimColumn(column, value::appendTo);
        return this;
    }

    /** Sets {@code column} to a CASE value; rows matching no branch keep their value unless it has an ELSE. */
    public ConditionalUpdate setCase(String column, Case value) {
        Objects.requireNonNull(value, "value");
        claimColumn(column, sql -> value.appendTo(sql, column));
        return this;
    }

    /** Leaves {@code updated_at} alone (for tables without it, or when the timestamp itself is compared later). */
    public ConditionalUpdate keepUpdatedAt() {
        touchUpdatedAt = false;
        return this;
    }

    /** Columns to return from the changed rows, for {@link #executeReturning}; none means all ({@code *}). */
    public ConditionalUpdate returning(String... columns) {
        for (String column : columns) {
            returning.add(Identifiers.check(column));
        }
        return this;
    }

    /** Runs the update on {@code connection} (inside the caller's transaction, if any); returns the rows changed. */
    public int execute(Connection connection) throws SQLException {
        SqlBuilder sql = render(false);
        return Queries.update(connection, sql.sql(), sql.params().toArray());
    }

    /** Runs the update as one auto-committed statement; SQL errors are translated (see {@code SqlErrors}). */
    public int execute(DataSource dataSource) {
        return Transactions.withConnection(dataSource, this::execute);
    }

    /** Runs the update with {@code RETURNING} and maps every changed row; the list's size is the row count. */
    public <T> List<T> executeReturning(Connection connection, RowMapper<T> mapper) throws SQLException {
        SqlBuilder sql = render(true);
        return Queries.list(connection, sql.sql(), mapper, sql.params().toArray());
    }

    /** {@link #executeReturning(Connection, RowMapper)} as one auto-committed statement, errors translated. */
    public <T> List<T> executeReturning(DataSource dataSource, RowMapper<T> mapper) {
        return Transactions.withConnection(dataSource, connection -> executeReturning(connection, mapper));
    }

    /** The SQL text this builder runs (parameters as {@code ?}), for logs and tests. */
    @Override
    public String toString() {
        return render(true).sql();
    }

    private void claimColumn(String column, Consumer<SqlBuilder> renderer) {
        Identifiers.check(column);
        if (assignments.putIfAbsent(column, renderer) != null) {
            throw new IllegalArgumentException("column " + column + " is set twice");
        }
    }

    private SqlBuilder render(boolean withReturning) {
        if (conditions.isEmpty()) {
            throw new IllegalStateException("a conditional update of " + table + " needs at least one expectation");
        }
        if (assignments.isEmpty()) {
            throw new IllegalStateException("a conditional update of " + table + " sets no column");
        }
        SqlBuilder sql = new SqlBuilder().text("UPDATE ").column(table).text(" SET ");
        renderAssignments(sql);
        sql.text(" WHERE ");
        for (int i = 0; i < conditions.size(); i++) {
            sql.text(i == 0 ? "" : " AND ");
            conditions.get(i).appendTo(sql);
        }
        if (withReturning) {
            renderReturning(sql);
        }
        return sql;
    }

    private void renderAssignments(SqlBuilder sql) {
        String separator = "";
        for (Map.Entry<String, Consumer<SqlBuilder>> assignment : assignments.entrySet()) {
            sql.text(separator).column(assignment.getKey()).text(" = ");
            assignment.getValue().accept(sql);
            separator = ", ";
        }
        if (touchUpdatedAt && !assignments.containsKey(UPDATED_AT)) {
            sql.text(separator).column(UPDATED_AT).text(" = now()");
        }
    }

    private void renderReturning(SqlBuilder sql) {
        if (returning.isEmpty()) {
            sql.text(" RETURNING *");
            return;
        }
        sql.text(" RETURNING ");
        for (int i = 0; i < returning.size(); i++) {
            sql.text(i == 0 ? "" : ", ").column(returning.get(i));
        }
    }
}
