package io.tandem.commandline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A command that runs: its name, help text, options, positional arguments and the code that runs it.
 *
 * @param synopsis what follows the command's words in the usage line, e.g. {@code (--cluster NAME | --host HOST)}
 * @param <C> what the action is given to run with (the tool's invocation)
 */
public record Command<C>(
        String name,
        String summary,
        String synopsis,
        String description,
        List<Option> options,
        List<Argument> arguments,
        Action<C> action)
        implements CommandNode {

    /** Runs a parsed command; returns the exit status. */
    @FunctionalInterface
    public interface Action<C> {
        int run(C invocation) throws UsageException, InterruptedException;
    }

    public Command {
        options = List.copyOf(options);
        arguments = List.copyOf(arguments);
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public Optional<Option> option(String optionName) {
        return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
    }

    public static final class Builder {
        private final String name;
        private String summary = "";
        private String synopsis = "";
        private String description = "";
        private final List<Option> options = new ArrayList<>();
        private final List<Argument> arguments = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder summary(String text) {
            this.summary = text;
            return this;
        }

        public Builder synopsis(String text) {
            this.synopsis = text;
            return this;
        }

        public Builder description(String text) {
            this.description = text;
            return this;
        }

        public Builder flag(String optionName, String help) {
            options.add(Option.flag(optionName, help));
            return this;
        }

        public Builder option(String optionName, String valueName, String help) {
            options.add(Option.valued(optionName, valueName, help));
            return this;
        }

        /** An option with a value that may be given several times ({@link Args#all}). */
        public Builder repeatableOption(String optionName, String valueName, String help) {
            options.add(Option.repeatable(optionName, valueName, help));
            return this;
        }

        /** A required positional argument ({@link Args#argument}). */
        public Builder argument(String argumentName, String help) {
            arguments.add(Argument.required(argumentName, help));
            return this;
        }

        /** An optional positional argument ({@link Args#optionalArgument}; see {@link Argument}). */
        public Builder optionalArgument(String argumentName, String help) {
            arguments.add(Argument.optional(argumentName, help));
            return this;
        }

        public <C> Command<C> runs(Action<C> action) {
            return new Command<>(name, summary, synopsis, description, options, arguments, action);
        }
    }
}
