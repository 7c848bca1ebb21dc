package io.tandem.persistence.cas;

import io.tandem.persistence.jdbc.Identifiers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Accumulates SQL text and its bound parameters in order, so that placeholders and values cannot drift apart. */
final class SqlBuilder {
    private final StringBuilder text = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    SqlBuilder text(String sql) {
        text.append(sql);
        return this;
    }

    SqlBuilder column(String name) {
        text.append(Identifiers.quote(name));
        return this;
    }

    SqlBuilder param(Object value) {
        text.append('?');
        params.add(value);
        return this;
    }

    /** Appends a fragment with its parameters; the fragment was checked by {@link #checkFragment} when created. */
    SqlBuilder fragment(String sql, Object[] values) {
        text.append(sql);
        params.addAll(Arrays.asList(values));
        return this;
    }

    String sql() {
        return text.toString();
    }

    List<Object> params() {
        return params;
    }

    /**
     * Checks a caller's SQL fragment: not blank, and exactly one {@code ?} placeholder per parameter (placeholders
     * inside quoted literals or quoted names do not count). A mismatch would otherwise shift every later parameter.
     */
    static void checkFragment(String sql, Object[] values) {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("an SQL fragment must not be blank");
        }
        int placeholders = countPlaceholders(sql);
        if (placeholders != values.length) {
            throw new IllegalArgumentException("SQL fragment has " + placeholders + " placeholder(s) but "
                    + values.length + " parameter(s): " + sql);
        }
    }

    private static int countPlaceholders(String sql) {
        int count = 0;
        char quote = 0;
        for (char c : sql.toCharArray()) {
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '?') {
                count++;
            }
        }
        return count;
    }
}
