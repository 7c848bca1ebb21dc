package io.tandem.commandline;

import java.util.ArrayList;
import java.util.List;

/** The help texts: a command's usage, description, arguments and options; a group's commands. */
public final class Help {
    /** Help text is wrapped for an 80-column terminal. */
    public static final int WIDTH = 80;

    /**
     * A usage width no usage reaches: the usage stays on one line however long ({@code tandem-manage} shows it inside
     * its one-line usage errors, and so in its help too).
     */
    public static final int ONE_LINE = Integer.MAX_VALUE;

    private Help() {}

    /**
     * The usage of a command or group, e.g. {@code usage: tandem cluster show NAME [--binary BINARY]}: one line, or,
     * when that is wider than {@link #WIDTH}, the synopsis broken between its top-level groups (never inside
     * parentheses or brackets) with the continuation lines aligned under its start.
     */
    public static String usageLine(List<String> path, CommandNode node) {
        return usageLine(path, node, WIDTH);
    }

    /**
     * The usage of a command or group, broken as {@link #usageLine(List, CommandNode)} does when wider than
     * {@code width}; with {@link #ONE_LINE}, never broken (e.g. {@code usage: tandem-manage service remove [BINARY]
     * HOST}).
     */
    public static String usageLine(List<String> path, CommandNode node, int width) {
        String words = "usage: " + String.join(" ", path);
        if (node instanceof Command<?> command) {
            String line = (words + " " + command.synopsis()).stripTrailing();
            return line.length() <= width ? line : broken(words, command.synopsis(), width);
        }
        return words + " COMMAND [options]";
    }

    private static String broken(String words, String synopsis, int width) {
        String indent = " ".repeat(words.length() + 1);
        StringBuilder text = new StringBuilder(words);
        int column = words.length();
        boolean first = true;
        for (String group : groups(synopsis)) {
            if (!first && column + 1 + group.length() > width) {
                text.append("\n").append(indent).append(group);
                column = indent.length() + group.length();
            } else {
                text.append(' ').append(group);
                column += 1 + group.length();
            }
            first = false;
        }
        return text.toString();
    }

    /** {@code (--a X | --b Y) [--c]} as {@code (--a X | --b Y)} and {@code [--c]}: split at blanks outside brackets. */
    private static List<String> groups(String synopsis) {
        List<String> groups = new ArrayList<>();
        StringBuilder group = new StringBuilder();
        int depth = 0;
        for (char c : synopsis.strip().toCharArray()) {
            if (c == ' ' && depth == 0) {
                if (group.length() > 0) {
                    groups.add(group.toString());
                    group.setLength(0);
                }
                continue;
            }
            if (c == '(' || c == '[') {
                depth++;
            } else if ((c == ')' || c == ']') && depth > 0) {
                depth--;
            }
            group.append(c);
        }
        if (group.length() > 0) {
            groups.add(group.toString());
        }
        return groups;
    }

    /**
     * The help of {@code node}, its usage broken beyond {@link #WIDTH}; {@code footer} (paragraphs separated by blank
     * lines) closes it when not empty.
     */
    public static String render(List<String> path, CommandNode node, List<Option> globals, String footer) {
        return render(path, node, globals, footer, WIDTH);
    }

    /** The help of {@code node}, its usage as {@link #usageLine(List, CommandNode, int)} with {@code usageWidth}. */
    public static String render(
            List<String> path, CommandNode node, List<Option> globals, String footer, int usageWidth) {
        StringBuilder text = new StringBuilder(usageLine(path, node, usageWidth)).append("\n\n");
        if (node instanceof Command<?> command) {
            text.append(wrap(command.description(), WIDTH, "")).append("\n");
            if (!command.arguments().isEmpty()) {
                List<String[]> arguments = new ArrayList<>();
                command.arguments().forEach(a -> arguments.add(new String[] {a.name(), a.help()}));
                text.append("\narguments:\n").append(list(arguments));
            }
            if (!command.options().isEmpty()) {
                text.append("\noptions:\n").append(options(command.options()));
            }
            text.append("\nglobal options:\n").append(options(globals));
        } else {
            CommandGroup group = (CommandGroup) node;
            text.append(wrap(group.description(), WIDTH, "")).append("\n\ncommands:\n");
            List<String[]> commands = new ArrayList<>();
            leaves(List.of(), group, commands);
            text.append(list(commands));
            if (path.size() == 1) {
                text.append("\nglobal options (anywhere on the line):\n").append(options(globals));
            }
            text.append("\nRun '").append(String.join(" ", path)).append(" COMMAND --help' for a command's options.\n");
        }
        if (!footer.isEmpty()) {
            for (String paragraph : footer.strip().split("\n\n")) {
                text.append("\n").append(wrap(paragraph, WIDTH, "")).append("\n");
            }
        }
        return text.toString();
    }

    private static String options(List<Option> options) {
        List<String[]> rows = new ArrayList<>();
        for (Option option : options) {
            String label = option.name().equals("--help") ? "-h, --help" : option.label();
            rows.add(new String[] {label, option.help()});
        }
        return list(rows);
    }

    /** Indented {@code label  help} lines, the help wrapped under itself. */
    private static String list(List<String[]> rows) {
        int labelWidth = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        String hanging = " ".repeat(2 + labelWidth + 2);
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            String first = "  " + row[0] + " ".repeat(labelWidth - row[0].length() + 2);
            String help = wrap(row[1], Math.max(WIDTH - hanging.length(), 30), hanging);
            text.append(first).append(help.substring(hanging.length())).append("\n");
        }
        return text.toString();
    }

    /**
     * {@code text} as lines of at most {@code width} characters (a longer word gets a line of its own), each starting
     * with {@code indent}; blank lines separate paragraphs, single line breaks are spaces. A paragraph whose every line
     * is indented (a list of steps, an example) is kept as written.
     */
    public static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder();
        String[] paragraphs = text.stripTrailing().replaceFirst("^\\s*\\n", "").split("\\n\\s*\\n");
        for (int p = 0; p < paragraphs.length; p++) {
            if (p > 0) {
                out.append("\n\n");
            }
            if (preformatted(paragraphs[p])) {
                out.append(paragraphs[p]
                        .lines()
                        .map(l -> indent + l)
                        .reduce((a, b) -> a + "\n" + b)
                        .orElse(""));
                continue;
            }
            StringBuilder line = new StringBuilder();
            for (String word : paragraphs[p].strip().split("\\s+")) {
                if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                    out.append(indent).append(line).append("\n");
                    line.setLength(0);
                }
                line.append(line.length() > 0 ? " " : "").append(word);
            }
            out.append(indent).append(line);
        }
        return out.toString();
    }

    private static boolean preformatted(String paragraph) {
        return paragraph.lines().allMatch(l -> l.startsWith(" "));
    }

    /** Every command under {@code group}, with its words relative to the group, and its summary. */
    private static void leaves(List<String> prefix, CommandGroup group, List<String[]> into) {
        for (CommandNode child : group.children()) {
            List<String> words = new ArrayList<>(prefix);
            words.add(child.name());
            if (child instanceof CommandGroup sub) {
                leaves(words, sub, into);
            } else {
                into.add(new String[] {String.join(" ", words), child.summary()});
            }
        }
    }
}
