package io.tandem.cli;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.tandem.commandline.ArgParser;
import io.tandem.commandline.Args;
import io.tandem.commandline.Command;
import io.tandem.commandline.CommandGroup;
import io.tandem.commandline.CommandNode;
import io.tandem.commandline.Help;
import io.tandem.commandline.Option;
import io.tandem.commandline.UsageException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tandem}, Tandem's command-line client: the entry point, the command tree and the global options. Each group
 * of commands lives in its own class ({@link ClusterCommands}, {@link ServiceCommands}, {@link FailoverCommands},
 * {@link JournalCommands}, {@link NodeCommands}); {@link #commands()} puts them together, and a larger tool can add
 * groups with {@link CommandGroup#with}. The parser and the help texts are libs/commandline's, shared with
 * {@code tandem-manage}.
 *
 * <p>Exit status: {@value #OK} done, {@value #FAILED} a call failed, {@value #USAGE} usage error; commands may define
 * more ({@code failover --wait}, {@code promote --wait}: {@value FailoverCommands#FENCED} completed with fenced
 * members).
 */
public final class Tandem {
    public static final String PROGRAM = "tandem";
    /** Environment variable naming replication-svc's address. */
    public static final String REPLICATION_ADDRESS_ENV = "TANDEM_REPLICATION_ADDRESS";
    /** replication-svc in the dev stack ({@code make run}, scripts/lib.sh). */
    public static final String DEFAULT_REPLICATION_ADDRESS = "127.0.0.1:50052";

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final List<Option> GLOBAL_OPTIONS = List.of(
            Option.valued(
                    "--replication",
                    "ADDRESS",
                    "replication-svc's gRPC address, host:port (default: $" + REPLICATION_ADDRESS_ENV + ", else "
                            + DEFAULT_REPLICATION_ADDRESS + ", the dev stack's)"),
            Option.valued("--timeout", "DURATION", "deadline of every call: 500ms, 10s, 2m (default 10s)"),
            Option.flag("--json", "print the response messages as JSON (protobuf JSON mapping) instead of tables"),
            Option.flag("--help", "show help"));

    private static final String DESCRIPTION =
            """
            Tandem's command-line client. Talks gRPC to replication-svc (clusters, services, failover, promote, the
            failover journal) and, for 'node status', to one volume node.""";

    private static final String FOOTER =
            """
            Exit status: 0 done; 1 a call failed (with --wait: the failover or promote failed or was reverted); 2
            usage error; 3 (--wait) the failover or promote completed with fenced members.

            Environment: TANDEM_REPLICATION_ADDRESS (replication-svc's address), TANDEM_USER (sent as x-tandem-user,
            recorded in the failover journal; default $USER).""";

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

    /** Kept so that the silenced loggers are not collected with their settings. */
    private static final List<Logger> QUIET = new ArrayList<>();

    private final CommandGroup root;
    private final ArgParser parser;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final ChannelFactory channels;
    private final Sleeper sleeper;

    /**
     * A command line that prints to {@code out} and {@code err}, reads its defaults from {@code env} and calls through
     * the channels {@code channels} opens.
     */
    public Tandem(PrintStream out, PrintStream err, Map<String, String> env, ChannelFactory channels, Sleeper sleeper) {
        this.root = commands();
        this.parser = new ArgParser(root, GLOBAL_OPTIONS);
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.channels = channels;
        this.sleeper = sleeper;
    }

    public static void main(String[] args) {
        // gRPC and Netty log through java.util.logging; a command line prints its own one-line errors instead.
        for (String name : List.of("io.grpc", "io.netty")) {
            Logger logger = Logger.getLogger(name);
            logger.setLevel(Level.OFF);
            QUIET.add(logger);
        }
        int status =
                new Tandem(System.out, System.err, System.getenv(), Tandem::plaintextChannel, Sleeper.SYSTEM).run(args);
        System.out.flush();
        System.exit(status);
    }

    /** A plaintext channel to {@code host:port}, as the dev stack serves (no TLS). */
    static ManagedChannel plaintextChannel(String address) {
        return NettyChannelBuilder.forTarget(address).usePlaintext().build();
    }

    /** Every command of {@code tandem}. */
    static CommandGroup commands() {
        return CommandGroup.of(
                PROGRAM,
                "Tandem's command-line client",
                DESCRIPTION,
                ClusterCommands.group(),
                ServiceCommands.group(),
                FailoverCommands.failover(),
                FailoverCommands.failback(),
                FailoverCommands.promote(),
                FailoverCommands.freeze(),
                FailoverCommands.thaw(),
                JournalCommands.group(),
                NodeCommands.group());
    }

    /** Runs one command line; returns the exit status. Prints no stack trace, whatever happens. */
    public int run(String... argv) {
        if (argv.length == 0) {
            err.print(help(List.of(PROGRAM), root));
            return USAGE;
        }
        ArgParser.Parsed parsed;
        try {
            parsed = parser.parseCommandLine(List.of(argv));
        } catch (UsageException e) {
            return usage(e);
        }
        if (parsed.help()) {
            out.print(help(parsed.path(), parsed.node()));
            return OK;
        }
        @SuppressWarnings("unchecked")
        Command<Invocation> command = (Command<Invocation>) parsed.node();
        Invocation.Settings settings;
        try {
            settings = settings(parsed, command);
        } catch (UsageException e) {
            return usage(e);
        }
        Invocation invocation =
                new Invocation(parsed.path(), command, parsed.args(), out, err, settings, channels, sleeper);
        try (invocation) {
            return command.action().run(invocation);
        } catch (UsageException e) {
            return usage(e);
        } catch (Invocation.BadAddressException e) {
            return usage(new UsageException(e.getMessage(), parsed.path(), command));
        } catch (StatusRuntimeException e) {
            err.println(Errors.line(PROGRAM, e, invocation.callee(), settings.timeout()));
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(PROGRAM + ": interrupted");
            return FAILED;
        } catch (RuntimeException e) {
            // A fault of this client (or a server answer it cannot read): still one line, never a stack trace.
            err.println(PROGRAM + ": " + e.getClass().getSimpleName() + ": " + Text.oneLine(e.getMessage()));
            return FAILED;
        }
    }

    private Invocation.Settings settings(ArgParser.Parsed parsed, Command<Invocation> command) throws UsageException {
        Args args = parsed.args();
        String address = args.value("--replication")
                .orElseGet(() -> env.getOrDefault(REPLICATION_ADDRESS_ENV, ""))
                .strip();
        if (address.isEmpty()) {
            address = DEFAULT_REPLICATION_ADDRESS;
        }
        Duration timeout = DEFAULT_TIMEOUT;
        if (args.value("--timeout").isPresent()) {
            String text = args.value("--timeout").get();
            timeout = parseDuration(text)
                    .orElseThrow(() -> new UsageException(
                            "--timeout: '" + text + "' is not a duration such as 500ms, 10s or 2m",
                            parsed.path(),
                            command));
        }
        String user = env.getOrDefault("TANDEM_USER", env.getOrDefault("USER", ""));
        return new Invocation.Settings(args.has("--json"), timeout, address, "req-" + UUID.randomUUID(), user.strip());
    }

    /** {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, {@code 1h}; a bare number is seconds. Positive only. */
    static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis =
                switch (unit) {
                    case "ms" -> amount;
                    case "m" -> amount * 60_000;
                    case "h" -> amount * 3_600_000;
                    default -> amount * 1000;
                };
        if (millis < 1 || millis > Duration.ofDays(1).toMillis()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.round(millis)));
    }

    private String help(List<String> path, CommandNode node) {
        return Help.render(path, node, GLOBAL_OPTIONS, path.size() == 1 ? FOOTER : "");
    }

    private int usage(UsageException e) {
        err.println(PROGRAM + ": " + e.getMessage());
        err.println(Help.usageLine(e.path(), e.node()));
        return USAGE;
    }
}
