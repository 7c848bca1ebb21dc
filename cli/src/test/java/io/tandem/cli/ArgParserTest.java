package io.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tandem.commandline.ArgParser;
import io.tandem.commandline.Command;
import io.tandem.commandline.CommandGroup;
import io.tandem.commandline.CommandNode;
import io.tandem.commandline.Help;
import io.tandem.commandline.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line: every command parses, every mistake is a usage error (exit 2) that calls nothing. */
class ArgParserTest {
    private final ArgParser parser = new ArgParser(Tandem.commands(), Tandem.GLOBAL_OPTIONS);

    private ArgParser.Parsed parse(String... argv) throws UsageException {
        return parser.parse(List.of(argv));
    }

    private static String name(ArgParser.Parsed parsed) {
        return String.join(" ", parsed.path());
    }

    @Test
    void everyCommandParsesWithItsOptionsAndArguments() throws UsageException {
        ArgParser.Parsed p = parse("cluster", "list", "--detailed");
        assertEquals("tandem cluster list", name(p));
        assertTrue(p.args().has("--detailed"));

        p = parse("cluster", "show", "cluster1@fs1", "--binary", "volume");
        assertEquals("tandem cluster show", name(p));
        assertEquals("cluster1@fs1", p.args().argument("NAME"));
        assertEquals(Optional.of("volume"), p.args().value("--binary"));

        p = parse("service", "list", "--host", "node1@fs1", "--binary=volume");
        assertEquals("tandem service list", name(p));
        assertEquals(Optional.of("node1@fs1"), p.args().value("--host"));
        assertEquals(Optional.of("volume"), p.args().value("--binary"));

        p = parse("failover", "--cluster", "cluster1@fs1", "--backend-id", "rep1", "--wait");
        assertEquals("tandem failover", name(p));
        assertEquals(Optional.of("cluster1@fs1"), p.args().value("--cluster"));
        assertEquals(Optional.of("rep1"), p.args().value("--backend-id"));
        assertTrue(p.args().has("--wait"));

        p = parse("failback", "--host", "node1@fs1", "--wait");
        assertEquals("tandem failback", name(p));
        assertEquals(Optional.of("node1@fs1"), p.args().value("--host"));

        p = parse(
                "promote",
                "--cluster",
                "cluster1@fs1",
                "--target",
                "site-c=/srv/site-c",
                "--wait",
                "--target=site-a=/srv/site-a");
        assertEquals("tandem promote", name(p));
        assertEquals(Optional.of("cluster1@fs1"), p.args().value("--cluster"));
        assertEquals(
                List.of("site-c=/srv/site-c", "site-a=/srv/site-a"), p.args().all("--target"));
        assertEquals(Optional.empty(), p.args().value("--target"));
        assertTrue(p.args().has("--wait"));

        p = parse("promote", "--host", "node1@fs1", "--no-targets");
        assertTrue(p.args().has("--no-targets"));
        assertEquals(List.of(), p.args().all("--target"));

        assertEquals("tandem freeze", name(parse("freeze", "--cluster", "c@b")));
        assertEquals("tandem thaw", name(parse("thaw", "--host", "n@b")));

        p = parse("failover-journal", "list", "--target", "cluster1@fs1", "--unfinished", "--limit", "0");
        assertEquals("tandem failover-journal list", name(p));
        assertEquals(Optional.of("cluster1@fs1"), p.args().value("--target"));
        assertTrue(p.args().has("--unfinished"));
        assertEquals(Optional.of("0"), p.args().value("--limit"));

        p = parse("failover-journal", "show", "42");
        assertEquals("42", p.args().argument("ID"));

        p = parse("node", "status", "127.0.0.1:50061");
        assertEquals("tandem node status", name(p));
        assertEquals("127.0.0.1:50061", p.args().argument("ADDRESS"));
    }

    @Test
    void globalOptionsGoAnywhere() throws UsageException {
        ArgParser.Parsed before = parse("--json", "--replication", "10.0.0.1:50052", "cluster", "list");
        ArgParser.Parsed after = parse("cluster", "list", "--timeout=5s", "--json");
        ArgParser.Parsed between = parse("cluster", "--json", "show", "c@b");
        assertTrue(before.args().has("--json"));
        assertEquals(Optional.of("10.0.0.1:50052"), before.args().value("--replication"));
        assertEquals(Optional.of("5s"), after.args().value("--timeout"));
        assertTrue(between.args().has("--json"));
        assertEquals("c@b", between.args().argument("NAME"));
    }

    @Test
    void doubleDashEndsOptions() throws UsageException {
        ArgParser.Parsed p = parse("cluster", "show", "--", "--odd-name");
        assertEquals("--odd-name", p.args().argument("NAME"));
    }

    @Test
    void helpIsRecognisedAnywhere() throws UsageException {
        assertTrue(parse("--help").help());
        assertTrue(parse("cluster", "-h").help());
        ArgParser.Parsed p = parse("cluster", "show", "--help");
        assertTrue(p.help(), "help needs no NAME");
        assertInstanceOf(Command.class, p.node());
    }

    @Test
    void aGroupWithoutCommandParsesToTheGroup() throws UsageException {
        assertInstanceOf(CommandGroup.class, parse("cluster").node());
    }

    @Test
    void mistakesAreUsageErrorsNamingTheCommand() {
        assertUsage(
                "unknown command 'clusters' for 'tandem' (one of: cluster, service, failover, failback, promote,"
                        + " freeze, thaw, failover-journal, node)",
                "tandem",
                "clusters");
        assertUsage(
                "unknown command 'delete' for 'tandem cluster' (one of: list, show)",
                "tandem cluster",
                "cluster",
                "delete");
        assertUsage(
                "unknown option --verbose for 'tandem cluster list'",
                "tandem cluster list",
                "cluster",
                "list",
                "--verbose");
        assertUsage("unknown option --detailed for 'tandem'", "tandem", "--detailed", "cluster", "list");
        assertUsage("missing NAME", "tandem cluster show", "cluster", "show");
        assertUsage("unexpected argument 'b'", "tandem cluster show", "cluster", "show", "a", "b");
        assertUsage("unexpected argument 'x'", "tandem cluster list", "cluster", "list", "x");
        assertUsage("option --host needs a value (--host H)", "tandem service list", "service", "list", "--host");
        assertUsage(
                "option --cluster needs a value (--cluster NAME)",
                "tandem failover",
                "failover",
                "--cluster",
                "--wait");
        assertUsage("option --wait takes no value", "tandem failover", "failover", "--wait=yes");
        assertUsage(
                "option --target given twice",
                "tandem failover-journal list",
                "failover-journal",
                "list",
                "--target",
                "a",
                "--target",
                "b");
        assertUsage(
                "option --target needs a value (--target BACKEND_ID=LOCATION)",
                "tandem promote",
                "promote",
                "--cluster",
                "c",
                "--target");
        assertUsage("option --no-targets takes no value", "tandem promote", "promote", "--no-targets=yes");
        assertUsage("missing ID", "tandem failover-journal show", "failover-journal", "show");
        assertUsage("missing ADDRESS", "tandem node status", "node", "status");
        assertUsage(
                "unknown option --backend-id for 'tandem failback'",
                "tandem failback",
                "failback",
                "--cluster",
                "c",
                "--backend-id",
                "x");
    }

    private void assertUsage(String message, String where, String... argv) {
        UsageException e = assertThrows(UsageException.class, () -> parse(argv), String.join(" ", argv));
        assertEquals(message, e.getMessage());
        assertEquals(where, String.join(" ", e.path()));
    }

    @Test
    void durations() {
        assertEquals(Optional.of(Duration.ofMillis(500)), Tandem.parseDuration("500ms"));
        assertEquals(Optional.of(Duration.ofSeconds(10)), Tandem.parseDuration("10s"));
        assertEquals(Optional.of(Duration.ofSeconds(7)), Tandem.parseDuration("7"));
        assertEquals(Optional.of(Duration.ofMillis(1500)), Tandem.parseDuration("1.5s"));
        assertEquals(Optional.of(Duration.ofMinutes(2)), Tandem.parseDuration("2m"));
        assertEquals(Optional.of(Duration.ofHours(1)), Tandem.parseDuration("1h"));
        for (String bad : List.of("", "0", "0s", "-1s", "ten", "10x", "5d")) {
            assertEquals(Optional.empty(), Tandem.parseDuration(bad), bad);
        }
    }

    // --- through the entry point: exit status 2, the error and the usage line on stderr, no call made -----------

    private record Run(int status, String out, String err) {}

    private static Run run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChannelFactory none = address -> fail("a usage error must not open a channel (to " + address + ")");
        Sleeper noSleep = d -> fail("a usage error must not wait");
        int status = new Tandem(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        Map.of(),
                        none,
                        noSleep)
                .run(argv);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bogus",
                "cluster",
                "cluster list extra",
                "cluster show",
                "service list --host",
                "failover",
                "failover --cluster a --host b",
                "failover --cluster=",
                "failback --backend-id x --cluster c",
                "freeze",
                "thaw --cluster a --host b",
                "promote --cluster c",
                "promote --no-targets",
                "promote --cluster a --host b --no-targets",
                "promote --cluster c --no-targets --target a=/a",
                "promote --cluster c --target a",
                "promote --cluster c --target =/a",
                "promote --cluster c --target a=",
                "promote --cluster c --target a=/a --target b",
                "promote --cluster c --target",
                "promote --cluster c --no-targets extra",
                "failover-journal list --limit -1",
                "failover-journal list --limit many",
                "failover-journal show abc",
                "failover-journal show 0",
                "node status",
                "cluster list --timeout 0",
                "cluster list --timeout soon",
            })
    void usageErrorsExitTwoWithOneErrorLineAndTheUsage(String line) {
        Run run = run(line.split(" "));
        assertEquals(Tandem.USAGE, run.status(), line);
        assertEquals("", run.out(), line);
        List<String> lines = run.err().lines().toList();
        assertTrue(lines.size() >= 2, line + ": " + run.err());
        assertTrue(lines.get(0).startsWith("tandem: "), lines.get(0));
        assertTrue(lines.get(1).startsWith("usage: tandem"), lines.get(1));
        // A usage wider than the terminal continues on indented lines; nothing else follows it.
        lines.subList(2, lines.size()).forEach(more -> assertTrue(more.startsWith("    "), line + ": " + run.err()));
    }

    @Test
    void usageErrorsFoundByTheCommandShowItsUsage() {
        Run run = run("failover", "--cluster", "a", "--host", "b");
        assertEquals(
                "tandem: give exactly one of --cluster NAME and --host HOST\n"
                        + "usage: tandem failover (--cluster NAME | --host HOST) [--backend-id ID] [--wait]\n",
                run.err());
        assertEquals(
                "tandem: ID: 'x' is not a journal id (a positive number)\nusage: tandem failover-journal show ID\n",
                run("failover-journal", "show", "x").err());
        // Wider than 80 columns: broken between groups, aligned under the synopsis.
        String promoteUsage = "usage: tandem promote (--cluster NAME | --host HOST)\n"
                + "                      (--target BACKEND_ID=LOCATION... | --no-targets) [--wait]\n";
        assertEquals(
                "tandem: give each new replication target with --target BACKEND_ID=LOCATION, or --no-targets to leave"
                        + " the backend without replication\n" + promoteUsage,
                run("promote", "--cluster", "cluster1@fs1", "--wait").err());
        assertEquals(
                "tandem: --no-targets and --target exclude each other\n" + promoteUsage,
                run("promote", "--cluster", "c", "--target", "a=/a", "--no-targets")
                        .err());
        assertEquals(
                "tandem: --target: 'site-c:/srv/site-c' is not BACKEND_ID=LOCATION\n" + promoteUsage,
                run("promote", "--cluster", "c", "--target", "site-c:/srv/site-c")
                        .err());
    }

    @Test
    void noArgumentsPrintsTheOverviewOnStderr() {
        Run run = run();
        assertEquals(Tandem.USAGE, run.status());
        assertTrue(run.err().startsWith("usage: tandem COMMAND"), run.err());
    }

    /** Every command and group has help: usage line, description, each of its options and arguments. */
    @Test
    void everyCommandHasHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(List.of(), Tandem.commands(), paths);
        assertEquals(
                Set.of(
                        "",
                        "cluster",
                        "cluster list",
                        "cluster show",
                        "service",
                        "service list",
                        "failover",
                        "failback",
                        "promote",
                        "freeze",
                        "thaw",
                        "failover-journal",
                        "failover-journal list",
                        "failover-journal show",
                        "node",
                        "node status"),
                Set.copyOf(paths.stream().map(p -> String.join(" ", p)).toList()));
        for (List<String> path : paths) {
            for (String helpWord : List.of("--help", "-h")) {
                List<String> argv = new ArrayList<>(path);
                argv.add(helpWord);
                Run run = run(argv.toArray(String[]::new));
                String words = String.join(" ", path);
                assertEquals(Tandem.OK, run.status(), words);
                assertEquals("", run.err(), words);
                assertTrue(run.out().startsWith("usage: tandem" + (words.isEmpty() ? "" : " " + words)), run.out());
                for (String line : run.out().lines().toList()) {
                    assertTrue(line.length() <= Help.WIDTH, "longer than " + Help.WIDTH + ": " + line);
                }
            }
            assertEquals(
                    run(concat("help", path)).out(), run(concat("--help", path)).out());
        }
        String failover = run("failover", "--help").out();
        for (String option : List.of("--cluster NAME", "--host HOST", "--backend-id ID", "--wait", "--timeout")) {
            assertTrue(failover.contains(option), option + " in\n" + failover);
        }
        String promote = run("promote", "--help").out();
        for (String option : List.of(
                "--cluster NAME",
                "--host HOST",
                "--target BACKEND_ID=LOCATION",
                "--no-targets",
                "--wait",
                "--timeout")) {
            assertTrue(promote.contains(option), option + " in\n" + promote);
        }
        assertTrue(run("--help").out().contains("  promote "), run("--help").out());
        assertTrue(run("cluster", "show", "-h").out().contains("NAME"));
    }

    @Test
    void helpWinsOverAMistake() {
        Run run = run("cluster", "list", "--bogus", "--help");
        assertEquals(Tandem.OK, run.status());
        assertTrue(run.out().startsWith("usage: tandem cluster list"), run.out());
    }

    private static String[] concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    private static void collect(List<String> prefix, CommandNode node, List<List<String>> into) {
        into.add(prefix);
        if (node instanceof CommandGroup group) {
            for (CommandNode child : group.children()) {
                List<String> path = new ArrayList<>(prefix);
                path.add(child.name());
                collect(path, child, into);
            }
        }
    }

    @Test
    void aLongUsageBreaksBetweenGroupsOnly() {
        Command command = Command.named("x")
                .synopsis("(--aaaaaaaaaa A | --bbbbbbbbbb B) [--cccccccccc C] (--dddddddddd D | --eeeeeeeeee)")
                .runs(invocation -> Tandem.OK);
        assertEquals(
                "usage: tandem x (--aaaaaaaaaa A | --bbbbbbbbbb B) [--cccccccccc C]\n"
                        + "                (--dddddddddd D | --eeeeeeeeee)",
                Help.usageLine(List.of("tandem", "x"), command));
        assertEquals(
                "usage: tandem cluster show NAME [--binary BINARY]",
                Help.usageLine(
                        List.of("tandem", "cluster", "show"),
                        ClusterCommands.group().child("show").orElseThrow()));
    }

    @Test
    void helpWraps() {
        assertEquals("ab cd\nef", Help.wrap("ab cd ef", 5, ""));
        assertEquals("> a\n> b\n\n> c", Help.wrap("a b\n\nc", 1, "> "));
        assertFalse(Help.wrap("x", 80, "").contains("\n"));
    }
}
