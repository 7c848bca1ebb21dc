package io.tandem.persistence.jdbc;

import java.util.regex.Pattern;

/**
 * Table and column names that end up in generated SQL. Values are always bound parameters; names cannot be, so
 * they are checked against the shape every name in the schema has (lower-case letters, digits, underscores; at most
 * 63 characters, PostgreSQL's limit) and then double-quoted, which also keeps reserved words usable.
 */
public final class Identifiers {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private Identifiers() {}

    /** Returns {@code name} if it is a plain identifier; otherwise throws {@link IllegalArgumentException}. */
    public static String check(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + describe(name));
        }
        return name;
    }

    /** {@code name}, checked and double-quoted for use in SQL text. */
    public static String quote(String name) {
        return '"' + check(name) + '"';
    }

    private static String describe(String name) {
        // The rejected name may be hostile or huge; keep the message one short line.
        if (name == null) {
            return "null";
        }
        String shown = name.length() > 80 ? name.substring(0, 80) + "…" : name;
        return '\'' + shown.replaceAll("\\p{Cntrl}", "?") + '\'';
    }
}
