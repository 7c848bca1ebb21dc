package io.tandem.replication.domain;

import io.tandem.core.error.InvalidArgumentException;

/** Checks of the names that identify a service or a cluster in a request. */
public final class Names {
    private Names() {}

    /** {@code value} itself; empty or missing is INVALID_ARGUMENT naming {@code field}. */
    public static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidArgumentException(field + " must be set.");
        }
        return value;
    }
}
