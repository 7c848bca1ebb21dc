package io.tandem.commandline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command-line parser of {@code tandem} and {@code tandem-manage}. Words that are not options walk down the
 * command tree until they reach a command; after that they are its positional arguments. Options may come anywhere:
 * the global ones are known everywhere, a command's own options after its name. {@code --name=value} equals
 * {@code --name value}; an option with a value is given at most once unless it is repeatable; {@code --} ends the
 * options; {@code -h}/{@code --help} asks for help.
 */
public final class ArgParser {
    /** The parse of one command line: the words of the command (program name first), what they name, the rest. */
    public record Parsed(List<String> path, CommandNode node, Args args, boolean help) {}

    private final CommandGroup root;
    private final List<Option> globals;

    public ArgParser(CommandGroup root, List<Option> globals) {
        this.root = root;
        this.globals = List.copyOf(globals);
    }

    /**
     * A tool's whole command line: {@link #parse} with the rules both tools add. {@code help X...} asks for the help of
     * {@code X...} as {@code X... --help} does; with {@code -h} or {@code --help} among the words even a wrong command
     * line asks for help, of the command or group it got as far as; otherwise a group is not enough, one of its
     * commands is needed.
     *
     * @return a parse that asks for help (of a group or a command), or else names a {@link Command}
     */
    public Parsed parseCommandLine(List<String> argv) throws UsageException {
        List<String> words = new ArrayList<>(argv);
        if (!words.isEmpty() && words.get(0).equals("help")) {
            words.remove(0);
            words.add("--help");
        }
        Parsed parsed;
        try {
            parsed = parse(words);
        } catch (UsageException e) {
            if (words.contains("-h") || words.contains("--help")) {
                return new Parsed(e.path(), e.node(), new Args(Set.of(), Map.of(), Map.of(), Map.of()), true);
            }
            throw e;
        }
        if (!parsed.help() && parsed.node() instanceof CommandGroup group) {
            List<String> names =
                    group.children().stream().map(CommandNode::name).toList();
            throw new UsageException(
                    "'" + String.join(" ", parsed.path()) + "' needs a command (one of: " + String.join(", ", names)
                            + ")",
                    parsed.path(),
                    group);
        }
        return parsed;
    }

    /**
     * One command line as it stands: a group without a command parses to the group, and any mistake is a usage error
     * (also with {@code --help}).
     */
    public Parsed parse(List<String> argv) throws UsageException {
        List<String> path = new ArrayList<>(List.of(root.name()));
        CommandNode node = root;
        Set<String> flags = new HashSet<>();
        Map<String, String> values = new HashMap<>();
        Map<String, List<String>> repeated = new HashMap<>();
        List<String> positionals = new ArrayList<>();
        boolean help = false;
        boolean optionsEnded = false;

        for (int i = 0; i < argv.size(); i++) {
            String word = argv.get(i);
            if (!optionsEnded && word.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && (word.equals("-h") || word.equals("--help"))) {
                help = true;
            } else if (!optionsEnded && word.startsWith("-") && word.length() > 1) {
                CommandNode here = node;
                int equals = word.indexOf('=');
                String name = word.startsWith("--") && equals > 0 ? word.substring(0, equals) : word;
                Option option =
                        find(node, name).orElseThrow(() -> new UsageException(unknownOption(name, path), path, here));
                if (!option.takesValue()) {
                    if (equals > 0) {
                        throw new UsageException("option " + name + " takes no value", path, here);
                    }
                    flags.add(name);
                    continue;
                }
                String value;
                if (equals > 0) {
                    value = word.substring(equals + 1);
                } else if (i + 1 < argv.size() && !argv.get(i + 1).startsWith("--")) {
                    value = argv.get(++i);
                } else {
                    throw new UsageException("option " + name + " needs a value (" + option.label() + ")", path, here);
                }
                if (option.repeatable()) {
                    repeated.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                } else if (values.putIfAbsent(name, value) != null) {
                    throw new UsageException("option " + name + " given twice", path, here);
                }
            } else if (node instanceof CommandGroup group) {
                CommandNode child = group.child(word)
                        .orElseThrow(() -> new UsageException(unknownCommand(word, group, path), path, group));
                path.add(word);
                node = child;
            } else {
                positionals.add(word);
            }
        }
        if (help || node instanceof CommandGroup) {
            return new Parsed(List.copyOf(path), node, new Args(flags, values, repeated, Map.of()), help);
        }
        Command<?> command = (Command<?>) node;
        Map<String, String> arguments = arguments(command, positionals, path);
        return new Parsed(List.copyOf(path), command, new Args(flags, values, repeated, arguments), false);
    }

    /** Required arguments take words first; optional ones take the words left over, from left to right. */
    private static Map<String, String> arguments(Command<?> command, List<String> positionals, List<String> path)
            throws UsageException {
        List<Argument> declared = command.arguments();
        long required = declared.stream().filter(a -> !a.optional()).count();
        if (positionals.size() < required) {
            Argument missing = declared.stream()
                    .filter(a -> !a.optional())
                    .skip(positionals.size())
                    .findFirst()
                    .orElseThrow();
            throw new UsageException("missing " + missing.name(), path, command);
        }
        if (positionals.size() > declared.size()) {
            throw new UsageException("unexpected argument '" + positionals.get(declared.size()) + "'", path, command);
        }
        long spare = positionals.size() - required;
        Map<String, String> arguments = new LinkedHashMap<>();
        int next = 0;
        for (Argument argument : declared) {
            if (argument.optional()) {
                if (spare == 0) {
                    continue;
                }
                spare--;
            }
            arguments.put(argument.name(), positionals.get(next++));
        }
        return arguments;
    }

    private Optional<Option> find(CommandNode node, String name) {
        Optional<Option> global =
                globals.stream().filter(o -> o.name().equals(name)).findFirst();
        if (global.isPresent() || !(node instanceof Command<?> command)) {
            return global;
        }
        return command.option(name);
    }

    private static String unknownOption(String name, List<String> path) {
        return "unknown option " + name + " for '" + String.join(" ", path) + "'";
    }

    private static String unknownCommand(String word, CommandGroup group, List<String> path) {
        List<String> names = group.children().stream().map(CommandNode::name).toList();
        return "unknown command '" + word + "' for '" + String.join(" ", path) + "' (one of: "
                + String.join(", ", names) + ")";
    }
}
