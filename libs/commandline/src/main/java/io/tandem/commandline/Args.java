package io.tandem.commandline;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the parser found for one command: the flags given, the option values, the values of repeatable options in the
 * order given, the positional arguments given, by name.
 */
public record Args(
        Set<String> flags,
        Map<String, String> values,
        Map<String, List<String>> repeated,
        Map<String, String> arguments) {
    public Args {
        flags = Set.copyOf(flags);
        values = Map.copyOf(values);
        repeated = repeated.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
        arguments = Map.copyOf(arguments);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    public Optional<String> value(String option) {
        return Optional.ofNullable(values.get(option));
    }

    /** Every value of a repeatable option, in the order given; empty when it was not given. */
    public List<String> all(String option) {
        return repeated.getOrDefault(option, List.of());
    }

    /** The required positional argument declared under {@code name} (always present once parsing succeeded). */
    public String argument(String name) {
        String value = arguments.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no argument " + name + " declared (an optional one: optionalArgument)");
        }
        return value;
    }

    /** The optional positional argument declared under {@code name}, if the command line gave it. */
    public Optional<String> optionalArgument(String name) {
        return Optional.ofNullable(arguments.get(name));
    }
}
