package io.tandem.manage;

import io.tandem.commandline.UsageException;

/** Checks of the names an operator types: hosts and clusters are single etcd key segments. */
public final class Names {
    private Names() {}

    /**
     * Refuses a blank name or one with a {@code /}, which no service can have (it would be another etcd key path).
     *
     * @param what the option or argument, for the message
     */
    public static void check(Invocation invocation, String what, String name) throws UsageException {
        if (name.isBlank() || name.indexOf('/') >= 0) {
            throw invocation.usageError(what + ": '" + name + "' is not a host or cluster name (non-blank, no '/')");
        }
    }
}
