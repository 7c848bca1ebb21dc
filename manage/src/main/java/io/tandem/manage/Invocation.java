package io.tandem.manage;

import io.tandem.commandline.Args;
import io.tandem.commandline.CommandNode;
import io.tandem.commandline.UsageException;
import java.io.PrintStream;
import java.util.List;

/** One run of one command: its parsed arguments, where to print, and the dependencies it may open. */
public final class Invocation {
    private final List<String> path;
    private final CommandNode command;
    private final Args args;
    private final PrintStream out;
    private final PrintStream err;
    private final Dependencies dependencies;

    Invocation(
            List<String> path,
            CommandNode command,
            Args args,
            PrintStream out,
            PrintStream err,
            Dependencies dependencies) {
        this.path = List.copyOf(path);
        this.command = command;
        this.args = args;
        this.out = out;
        this.err = err;
        this.dependencies = dependencies;
    }

    public Args args() {
        return args;
    }

    /** Where results go. */
    public PrintStream out() {
        return out;
    }

    /** Where warnings go, one line each (errors are printed by the entry point). */
    public PrintStream err() {
        return err;
    }

    public Dependencies dependencies() {
        return dependencies;
    }

    /** A usage error found while running: shown with this command's usage line, exit status 2. */
    public UsageException usageError(String message) {
        return new UsageException(message, path, command);
    }
}
