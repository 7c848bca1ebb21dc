package io.tandem.persistence.cas;

import io.tandem.persistence.jdbc.Identifiers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One expectation of a {@link ConditionalUpdate} (a WHERE term) or one {@link Case} branch condition.
 *
 * <p><b>NULL compares like a value</b> (as Cinder's {@code conditional_update} does), never like SQL's three-valued
 * logic, so that an expectation means what it reads:
 *
 * <table>
 *   <caption>How each expectation treats NULL</caption>
 *   <tr><th>expectation</th><th>SQL</th><th>a row whose column is NULL</th></tr>
 *   <tr><td>{@code eq(c, null)}</td><td>{@code c IS NULL}</td><td>matches</td></tr>
 *   <tr><td>{@code eq(c, x)}</td><td>{@code c = ?}</td><td>does not match</td></tr>
 *   <tr><td>{@code notEq(c, null)}</td><td>{@code c IS NOT NULL}</td><td>does not match</td></tr>
 *   <tr><td>{@code notEq(c, x)}</td><td>{@code c IS DISTINCT FROM ?}</td><td>matches (NULL is not x)</td></tr>
 *   <tr><td>{@code in(c, [x, y])}</td><td>{@code c IN (?, ?)}</td><td>does not match</td></tr>
 *   <tr><td>{@code in(c, [x, null])}</td><td>{@code (c IN (?) OR c IS NULL)}</td><td>matches</td></tr>
 *   <tr><td>{@code notIn(c, [x, y])}</td><td>{@code (c NOT IN (?, ?) OR c IS NULL)}</td><td>matches</td></tr>
 *   <tr><td>{@code notIn(c, [x, null])}</td><td>{@code (c IS NOT NULL AND c NOT IN (?))}</td>
 *       <td>does not match</td></tr>
 *   <tr><td>{@code in(c, [])}</td><td>{@code FALSE}</td><td>nothing matches</td></tr>
 *   <tr><td>{@code notIn(c, [])}</td><td>{@code TRUE}</td><td>everything matches</td></tr>
 * </table>
 *
 * <p>Plain SQL's {@code c <> 'x'} and {@code c NOT IN ('x')} would silently skip NULL rows; that is the bug this
 * table exists to prevent. A collection passed to {@code eq}/{@code notEq} is rejected: use {@code in}/{@code notIn}.
 */
public final class Condition {
    private final Consumer<SqlBuilder> renderer;

    private Condition(Consumer<SqlBuilder> renderer) {
        this.renderer = renderer;
    }

    /** The column equals {@code value}; {@code eq(c, null)} means {@code c IS NULL}. */
    public static Condition eq(String column, Object value) {
        Identifiers.check(column);
        checkScalar(column, value);
        if (value == null) {
            return new Condition(b -> b.column(column).text(" IS NULL"));
        }
        return new Condition(b -> b.column(column).text(" = ").param(value));
    }

    /** The column differs from {@code value}; a NULL column differs from every non-null value. */
    public static Condition notEq(String column, Object value) {
        Identifiers.check(column);
        checkScalar(column, value);
        if (value == null) {
            return new Condition(b -> b.column(column).text(" IS NOT NULL"));
        }
        return new Condition(b -> b.column(column).text(" IS DISTINCT FROM ").param(value));
    }

    /** The column equals one of {@code values}; a null element matches NULL columns. */
    public static Condition in(String column, Collection<?> values) {
        Identifiers.check(column);
        Objects.requireNonNull(values, "values");
        List<Object> nonNull = nonNull(values);
        boolean withNull = nonNull.size() < values.size();
        if (nonNull.isEmpty()) {
            return withNull ? eq(column, null) : new Condition(b -> b.text("FALSE"));
        }
        if (!withNull) {
            return new Condition(b -> list(b.column(column).text(" IN "), nonNull));
        }
        return new Condition(b -> list(b.text("(").column(column).text(" IN "), nonNull)
                .text(" OR ")
                .column(column)
                .text(" IS NULL)"));
    }

    /** The column equals none of {@code values}; NULL columns match unless {@code values} holds null. */
    public static Condition notIn(String column, Collection<?> values) {
        Identifiers.check(column);
        Objects.requireNonNull(values, "values");
        List<Object> nonNull = nonNull(values);
        boolean withNull = nonNull.size() < values.size();
        if (nonNull.isEmpty()) {
            return withNull ? notEq(column, null) : new Condition(b -> b.text("TRUE"));
        }
        if (withNull) {
            return new Condition(b -> list(
                            b.text("(")
                                    .column(column)
                                    .text(" IS NOT NULL AND ")
                                    .column(column)
                                    .text(" NOT IN "),
                            nonNull)
                    .text(")"));
        }
        return new Condition(b -> list(b.text("(").column(column).text(" NOT IN "), nonNull)
                .text(" OR ")
                .column(column)
                .text(" IS NULL)"));
    }

    /**
     * A raw SQL condition with {@code ?} placeholders bound to {@code params}, e.g. {@code NOT EXISTS (SELECT 1 FROM
     * workers w WHERE w.resource_id = volumes.id::text)} or {@code EXISTS (SELECT 1 FROM clusters c WHERE c.name =
     * volumes.cluster_name AND c.epoch = ?)}. The text must be a constant of the calling code, never user input;
     * values always go through parameters.
     */
    public static Condition sql(String fragment, Object... params) {
        Object[] copy = params.clone();
        SqlBuilder.checkFragment(fragment, copy);
        return new Condition(b -> b.text("(").fragment(fragment, copy).text(")"));
    }

    /** All of {@code conditions} hold (for a CASE branch that needs several). */
    public static Condition all(Condition... conditions) {
        List<Condition> terms = List.copyOf(Arrays.asList(conditions));
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("all() needs at least one condition");
        }
        return new Condition(b -> {
            b.text("(");
            for (int i = 0; i < terms.size(); i++) {
                b.text(i == 0 ? "" : " AND ");
                terms.get(i).appendTo(b);
            }
            b.text(")");
        });
    }

    void appendTo(SqlBuilder builder) {
        renderer.accept(builder);
    }

    private static SqlBuilder list(SqlBuilder builder, List<Object> values) {
        builder.text("(");
        for (int i = 0; i < values.size(); i++) {
            builder.text(i == 0 ? "" : ", ").param(values.get(i));
        }
        return builder.text(")");
    }

    private static List<Object> nonNull(Collection<?> values) {
        List<Object> result = new ArrayList<>(values.size());
        for (Object value : values) {
            if (value != null) {
                checkScalar("in/notIn element", value);
                result.add(value);
            }
        }
        return List.copyOf(result);
    }

    private static void checkScalar(String what, Object value) {
        if (value instanceof Collection<?> || value instanceof Object[]) {
            throw new IllegalArgumentException(what + ": a collection is not a value; use in() or notIn()");
        }
    }
}
