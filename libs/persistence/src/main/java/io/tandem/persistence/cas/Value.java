package io.tandem.persistence.cas;

import io.tandem.persistence.jdbc.Identifiers;
import java.util.function.Consumer;

/**
 * A new value in a {@link ConditionalUpdate} or a {@link Case} branch: a literal (a bound parameter, null included),
 * a copy of another column of the same row, or an SQL expression.
 *
 * <p>PostgreSQL evaluates every SET expression against the row as it was before the update, so {@code
 * previous_status = status, status = 'deleting'} copies the old status whatever the order (Cinder's {@code order}
 * argument exists only for MySQL).
 */
public final class Value {
    private final Consumer<SqlBuilder> renderer;

    private Value(Consumer<SqlBuilder> renderer) {
        this.renderer = renderer;
    }

    /** A literal, sent as a bound parameter; null sets NULL. */
    public static Value literal(Object value) {
        if (value instanceof Value || value instanceof Case) {
            throw new IllegalArgumentException("a Value or Case is not a literal");
        }
        return new Value(b -> b.param(value));
    }

    /** The current value of another column of the same row, e.g. {@code previous_status = status}. */
    public static Value column(String column) {
        Identifiers.check(column);
        return new Value(b -> b.column(column));
    }

    /**
     * An SQL expression with {@code ?} placeholders bound to {@code params}, e.g. {@code race_preventer + 1}, {@code
     * now()} or {@code epoch + ?}. The text must be a constant of the calling code, never user input.
     */
    public static Value expression(String sql, Object... params) {
        Object[] copy = params.clone();
        SqlBuilder.checkFragment(sql, copy);
        return new Value(b -> b.text("(").fragment(sql, copy).text(")"));
    }

    void appendTo(SqlBuilder builder) {
        renderer.accept(builder);
    }
}
