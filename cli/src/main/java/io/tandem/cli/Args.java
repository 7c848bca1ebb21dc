package io.tandem.cli;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the parser found for one command: the flags given, the option values, the positional arguments by name. */
record Args(Set<String> flags, Map<String, String> values, Map<String, String> arguments) {
    Args {
        flags = Set.copyOf(flags);
        values = Map.copyOf(values);
        arguments = Map.copyOf(arguments);
    }

    boolean has(String flag) {
        return flags.contains(flag);
    }

    Optional<String> value(String option) {
        return Optional.ofNullable(values.get(option));
    }

    /** The positional argument declared under {@code name} (always present once parsing succeeded). */
    String argument(String name) {
        String value = arguments.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no argument " + name + " declared");
        }
        return value;
    }
}
