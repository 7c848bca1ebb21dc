package io.tandem.commandline;

/** What a word of the command line can name: a command that runs, or a group of commands. */
public sealed interface CommandNode permits Command, CommandGroup {
    String name();

    /** One line for listings. */
    String summary();
}
