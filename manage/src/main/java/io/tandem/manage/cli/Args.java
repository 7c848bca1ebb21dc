package io.tandem.manage.cli;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the parser found: the flags given, the option values, the positional arguments given, by name. */
public record Args(Set<String> flags, Map<String, String> values, Map<String, String> arguments) {
    public Args {
        flags = Set.copyOf(flags);
        values = Map.copyOf(values);
        arguments = Map.copyOf(arguments);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    public Optional<String> value(String option) {
        return Optional.ofNullable(values.get(option));
    }

    /** The positional argument declared under {@code name}, if the command line gave it (required ones always). */
    public Optional<String> argument(String name) {
        return Optional.ofNullable(arguments.get(name));
    }
}
