package io.tandem.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A command that runs: its name, help text, options, positional arguments and the code that runs it.
 *
 * @param synopsis what follows the command's words in the usage line, e.g. {@code (--cluster NAME | --host HOST)}
 */
record Command(
        String name,
        String summary,
        String synopsis,
        String description,
        List<Option> options,
        List<Argument> arguments,
        Action action)
        implements CommandNode {

    /** Runs a parsed command; returns the exit status. */
    @FunctionalInterface
    interface Action {
        int run(Invocation invocation) throws UsageException, InterruptedException;
    }

    Command {
        options = List.copyOf(options);
        arguments = List.copyOf(arguments);
    }

    static Builder named(String name) {
        return new Builder(name);
    }

    Optional<Option> option(String optionName) {
        return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
    }

    static final class Builder {
        private final String name;
        private String summary = "";
        private String synopsis = "";
        private String description = "";
        private final List<Option> options = new ArrayList<>();
        private final List<Argument> arguments = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        Builder summary(String text) {
            this.summary = text;
            return this;
        }

        Builder synopsis(String text) {
            this.synopsis = text;
            return this;
        }

        Builder description(String text) {
            this.description = text;
            return this;
        }

        Builder flag(String optionName, String help) {
            options.add(Option.flag(optionName, help));
            return this;
        }

        Builder option(String optionName, String valueName, String help) {
            options.add(Option.valued(optionName, valueName, help));
            return this;
        }

        /** An option with a value that may be given several times ({@link Args#all}). */
        Builder repeatableOption(String optionName, String valueName, String help) {
            options.add(Option.repeatable(optionName, valueName, help));
            return this;
        }

        Builder argument(String argumentName, String help) {
            arguments.add(new Argument(argumentName, help));
            return this;
        }

        Command runs(Action action) {
            return new Command(name, summary, synopsis, description, options, arguments, action);
        }
    }
}
