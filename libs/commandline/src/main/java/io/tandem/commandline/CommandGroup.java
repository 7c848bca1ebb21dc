package io.tandem.commandline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A word that groups commands ({@code tandem cluster ...}); the root of the tree is a group too. */
public record CommandGroup(String name, String summary, String description, List<CommandNode> children)
        implements CommandNode {
    public CommandGroup {
        children = List.copyOf(children);
    }

    public static CommandGroup of(String name, String summary, String description, CommandNode... children) {
        return new CommandGroup(name, summary, description, List.of(children));
    }

    public Optional<CommandNode> child(String word) {
        return children.stream().filter(c -> c.name().equals(word)).findFirst();
    }

    /** This group with more commands added (how a larger tool can extend another's tree). */
    public CommandGroup with(CommandNode... more) {
        List<CommandNode> all = new ArrayList<>(children);
        all.addAll(List.of(more));
        return new CommandGroup(name, summary, description, all);
    }
}
