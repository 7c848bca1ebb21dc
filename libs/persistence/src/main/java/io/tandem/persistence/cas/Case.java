package io.tandem.persistence.cas;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A CASE value for {@link ConditionalUpdate#setCase}: the first branch whose {@link Condition} holds gives the new
 * value, e.g. a failover moving replicated volumes to {@code failed-over} and the others to {@code error} in one
 * statement:
 *
 * <pre>{@code
 * Case.when(Condition.eq("replication_status", "enabled"), Value.literal("failed-over"))
 *     .orElse(Value.literal("error"))
 * }</pre>
 *
 * <p>Conditions compare NULL like a value (see {@link Condition}). Without {@link #orElse}, a row that matches no
 * branch keeps its current value of the column being set, rather than SQL's default of NULL, so a forgotten ELSE
 * cannot wipe a column. Immutable: every method returns a new instance.
 */
public final class Case {
    private final List<Condition> conditions;
    private final List<Value> values;
    private final Value otherwise;

    private Case(List<Condition> conditions, List<Value> values, Value otherwise) {
        this.conditions = conditions;
        this.values = values;
        this.otherwise = otherwise;
    }

    /** The first branch: {@code WHEN condition THEN value}. */
    public static Case when(Condition condition, Value value) {
        return new Case(List.of(), List.of(), null).orWhen(condition, value);
    }

    /** A further branch, tried after the earlier ones. */
    public Case orWhen(Condition condition, Value value) {
        if (otherwise != null) {
            throw new IllegalStateException("orElse() must come last");
        }
        List<Condition> moreConditions = new ArrayList<>(conditions);
        moreConditions.add(Objects.requireNonNull(condition, "condition"));
        List<Value> moreValues = new ArrayList<>(values);
        moreValues.add(Objects.requireNonNull(value, "value"));
        return new Case(List.copyOf(moreConditions), List.copyOf(moreValues), null);
    }

    /** The value when no branch holds. */
    public Case orElse(Value value) {
        return new Case(conditions, values, Objects.requireNonNull(value, "value"));
    }

    void appendTo(SqlBuilder builder, String column) {
        builder.text("CASE");
        for (int i = 0; i < conditions.size(); i++) {
            builder.text(" WHEN ");
            conditions.get(i).appendTo(builder);
            builder.text(" THEN ");
            values.get(i).appendTo(builder);
        }
        builder.text(" ELSE ");
        (otherwise != null ? otherwise : Value.column(column)).appendTo(builder);
        builder.text(" END");
    }
}
