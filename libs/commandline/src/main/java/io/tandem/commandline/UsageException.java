package io.tandem.commandline;

import java.util.List;

/**
 * The command line is wrong (exit status 2): an unknown command or option, a missing or extra argument, a bad value.
 * Carries the command it was found in, so that the error can show that command's usage.
 */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<String> path;
    private final transient CommandNode node;

    public UsageException(String message, List<String> path, CommandNode node) {
        super(message, null, false, false);
        this.path = List.copyOf(path);
        this.node = node;
    }

    /** The words of the command as far as they were recognised, starting with the program name. */
    public List<String> path() {
        return path;
    }

    /** The command or group those words name. */
    public CommandNode node() {
        return node;
    }
}
