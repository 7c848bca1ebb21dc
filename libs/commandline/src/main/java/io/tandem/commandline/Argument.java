package io.tandem.commandline;

/**
 * A positional argument of a command. Optional arguments take words only when there are more words than required
 * arguments, from left to right, so that {@code [BINARY] HOST} reads one word as HOST and two as BINARY HOST (Cinder's
 * {@code service remove} shape).
 */
public record Argument(String name, String help, boolean optional) {
    public static Argument required(String name, String help) {
        return new Argument(name, help, false);
    }

    public static Argument optional(String name, String help) {
        return new Argument(name, help, true);
    }
}
