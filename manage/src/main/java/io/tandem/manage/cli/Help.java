package io.tandem.manage.cli;

import java.util.ArrayList;
import java.util.List;

/** The help texts: a command's usage, description, arguments and options; a group's commands. */
public final class Help {
    /** Help text is wrapped for an 80-column terminal. */
    static final int WIDTH = 80;

    private Help() {}

    /** The one usage line of a command or group, e.g. {@code usage: tandem-manage service remove [BINARY] HOST}. */
    public static String usageLine(List<String> path, CommandNode node) {
        String words = String.join(" ", path);
        if (node instanceof Command<?> command) {
            return ("usage: " + words + " " + command.synopsis()).stripTrailing();
        }
        return "usage: " + words + " COMMAND [options]";
    }

    /** The help of {@code node}; {@code footer} (paragraphs separated by blank lines) closes it when not empty. */
    public static String render(List<String> path, CommandNode node, List<Option> globals, String footer) {
        StringBuilder text = new StringBuilder(usageLine(path, node)).append("\n\n");
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
