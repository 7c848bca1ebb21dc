package io.tandem.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A word that groups commands ({@code tandem cluster ...}); the root of the tree is a group too. */
record CommandGroup(String name, String summary, String description, List<CommandNode> children)
        implements CommandNode {
    CommandGroup {
        children = List.copyOf(children);
    }

    static CommandGroup of(String name, String summary, String description, CommandNode... children) {
        return new CommandGroup(name, summary, description, List.of(children));
    }

    Optional<CommandNode> child(String word) {
        return children.stream().filter(c -> c.name().equals(word)).findFirst();
    }

    /** This group with more commands added (how a larger tool, such as tandem-manage, extends the tree). */
    CommandGroup with(CommandNode... more) {
        List<CommandNode> all = new ArrayList<>(children);
        all.addAll(List.of(more));
        return new CommandGroup(name, summary, description, all);
    }
}
