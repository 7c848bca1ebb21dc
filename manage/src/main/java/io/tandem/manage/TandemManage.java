package io.tandem.manage;

import io.tandem.commandline.ArgParser;
import io.tandem.commandline.Command;
import io.tandem.commandline.CommandGroup;
import io.tandem.commandline.CommandNode;
import io.tandem.commandline.Help;
import io.tandem.commandline.Option;
import io.tandem.commandline.UsageException;
import io.tandem.core.error.AbortedException;
import io.tandem.core.error.TandemException;
import io.tandem.core.error.UnavailableException;
import io.tandem.manage.reset.ResetActiveBackendCommand;
import io.tandem.manage.service.ServiceRemoveCommand;
import io.tandem.persistence.jdbc.DatabaseException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * {@code tandem-manage}, Tandem's {@code cinder-manage}: offline repairs straight on PostgreSQL and etcd, for when the
 * services concerned are stopped. The entry point: the command tree, the connection options, and the one place where
 * every failure becomes one line on stderr and an exit status ({@link ExitStatus}).
 */
public final class TandemManage {
    public static final String PROGRAM = "tandem-manage";

    static final List<Option> GLOBAL_OPTIONS = List.of(
            Option.valued(
                    "--db-url",
                    "URL",
                    "JDBC URL of the Tandem database (default: $" + ConnectionSettings.DATABASE_URL_ENV + ", else "
                            + ConnectionSettings.DEFAULT_DATABASE_URL + ", the dev stack's)"),
            Option.valued(
                    "--db-user",
                    "USER",
                    "database role (default: $" + ConnectionSettings.DATABASE_USER_ENV + ", else "
                            + ConnectionSettings.DEFAULT_DATABASE_USER + ")"),
            Option.valued(
                    "--db-password",
                    "PASSWORD",
                    "password of the role (default: $" + ConnectionSettings.DATABASE_PASSWORD_ENV
                            + ", else empty; prefer the variable: options show in ps)"),
            Option.valued(
                    "--etcd-endpoints",
                    "URLS",
                    "etcd client URLs, comma-separated (default: $" + ConnectionSettings.ETCD_ENDPOINTS_ENV + ", else "
                            + ConnectionSettings.DEFAULT_ETCD_ENDPOINTS + ")"),
            Option.valued(
                    "--etcd-prefix",
                    "PREFIX",
                    "prefix of every Tandem key in etcd (default: $" + ConnectionSettings.ETCD_PREFIX_ENV + ", else "
                            + "/tandem)"),
            Option.flag("--help", "show help"));

    private static final String DESCRIPTION =
            """
            Offline repairs of Tandem's state, as cinder-manage does for Cinder: it works on PostgreSQL and etcd
            directly, not through the services, and refuses while the services it would go behind are running.
            Every change is one transaction of compare-and-swap statements, so a refused or raced run changes
            nothing.""";

    private static final String EXIT_STATUS =
            """
            Exit status: 0 done (with --dry-run: the change would go ahead); 1 refused: a precondition does not hold
            or the rows changed meanwhile, and nothing was changed; 2 usage error; 3 a dependency (PostgreSQL, etcd)
            failed or could not be reached. Every error is one line on stderr.""";

    private static final String FOOTER = EXIT_STATUS
            + """


            Environment: the services' own variables, so the tool finds what they use: TANDEM_DATABASE_URL,
            TANDEM_DATABASE_USERNAME, TANDEM_DATABASE_PASSWORD, TANDEM_ETCD_ENDPOINTS, TANDEM_ETCD_PREFIX. The
            options above override them; without either, the dev stack of 'make run' (PostgreSQL 127.0.0.1:55432,
            database and user tandem; etcd http://127.0.0.1:23790, prefix /tandem).""";

    /** Kept so that the silenced loggers are not collected with their settings. */
    private static final List<Logger> QUIET = new ArrayList<>();

    private final CommandGroup root;
    private final ArgParser parser;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    /** A command line that prints to {@code out} and {@code err} and reads its connection defaults from {@code env}. */
    public TandemManage(PrintStream out, PrintStream err, Map<String, String> env) {
        this.root = commands();
        this.parser = new ArgParser(root, GLOBAL_OPTIONS);
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
    }

    public static void main(String[] args) {
        silenceJavaLogging();
        int status = new TandemManage(System.out, System.err, System.getenv()).run(args);
        System.out.flush();
        System.exit(status);
    }

    /**
     * jetcd's gRPC, Vert.x and Netty log through java.util.logging (slf4j goes to slf4j-nop); a command line prints its
     * own one-line messages instead, so nothing else may reach stderr.
     */
    private static void silenceJavaLogging() {
        LogManager.getLogManager().reset();
        for (String name : List.of("", "io.grpc", "io.netty", "io.vertx", "io.etcd")) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.OFF);
            QUIET.add(logger);
        }
    }

    /** Every command of {@code tandem-manage}. */
    static CommandGroup commands() {
        return CommandGroup.of(
                PROGRAM,
                "Tandem's offline repair tool",
                DESCRIPTION,
                CommandGroup.of(
                        "db",
                        "repairs of the database's replication state",
                        "Repairs of the replication state in the database (Cinder: cinder-manage db ...).",
                        ResetActiveBackendCommand.command()),
                CommandGroup.of(
                        "service",
                        "registered services",
                        "Registered services (Cinder: cinder-manage service ...).",
                        ServiceRemoveCommand.command()));
    }

    /**
     * The command line with Cinder's spelling of a command ({@code cinder-manage db reset_active_backend}) read as
     * Tandem's ({@code reset-active-backend}), so that an operator's habit works. Only the command word after
     * {@code db} is read so; names and values are left alone.
     */
    static List<String> cinderSpelling(String... argv) {
        List<String> words = new java.util.ArrayList<>(List.of(argv));
        if (words.size() > 1 && words.get(0).equals("db") && words.get(1).equals("reset_active_backend")) {
            words.set(1, "reset-active-backend");
        }
        return words;
    }

    /** Runs one command line; returns the exit status. Prints no stack trace, whatever happens. */
    public int run(String... argv) {
        if (argv.length == 0) {
            return usage(new UsageException("a command is needed (one of: db, service)", List.of(PROGRAM), root));
        }
        ArgParser.Parsed parsed;
        try {
            parsed = parser.parseCommandLine(cinderSpelling(argv));
        } catch (UsageException e) {
            return usage(e);
        }
        if (parsed.help()) {
            out.print(help(parsed.path(), parsed.node()));
            return ExitStatus.DONE;
        }
        @SuppressWarnings("unchecked")
        Command<Invocation> command = (Command<Invocation>) parsed.node();
        ConnectionSettings settings;
        try {
            settings = ConnectionSettings.resolve(parsed.args().values(), env);
        } catch (IllegalArgumentException e) {
            return usage(new UsageException(e.getMessage(), parsed.path(), command));
        }
        try (Dependencies dependencies = new Dependencies(settings)) {
            Invocation invocation = new Invocation(parsed.path(), command, parsed.args(), out, err, dependencies);
            return command.action().run(invocation);
        } catch (UsageException e) {
            return usage(e);
        } catch (InterruptedException e) {
            // No command of this tool waits today; the shared Command.Action allows it (bin/tandem's --wait).
            Thread.currentThread().interrupt();
            return fail(ExitStatus.DEPENDENCY, "interrupted");
        } catch (RefusedException e) {
            return fail(ExitStatus.REFUSED, e.getMessage());
        } catch (AbortedException e) {
            // A serialization failure or deadlock: the transaction was rolled back, so this is a raced run.
            return fail(ExitStatus.REFUSED, e.getMessage() + " (nothing was changed; run the command again)");
        } catch (UnavailableException e) {
            return fail(ExitStatus.DEPENDENCY, e.getMessage());
        } catch (DatabaseException e) {
            return fail(ExitStatus.DEPENDENCY, "PostgreSQL at " + settings.databaseEndpoint() + ": " + e.getMessage());
        } catch (TandemException e) {
            return fail(ExitStatus.DEPENDENCY, e.getMessage());
        } catch (RuntimeException e) {
            // A fault of this tool, or an answer it cannot read: still one line, never a stack trace.
            return fail(ExitStatus.DEPENDENCY, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private int fail(int status, String message) {
        err.println(PROGRAM + ": " + oneLine(message));
        return status;
    }

    /** Text for one error line: line breaks and the blanks around them become one space. */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private String help(List<String> path, CommandNode node) {
        return Help.render(path, node, GLOBAL_OPTIONS, path.size() == 1 ? FOOTER : EXIT_STATUS, Help.ONE_LINE);
    }

    /** A usage error: its message and the usage of the command it was found in, on one line. */
    private int usage(UsageException e) {
        err.println(PROGRAM + ": " + oneLine(e.getMessage()) + " (" + Help.usageLine(e.path(), e.node(), Help.ONE_LINE)
                + "; --help explains)");
        return ExitStatus.USAGE;
    }
}
