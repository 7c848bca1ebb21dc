package io.tandem.commandline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parser on a small tree of its own: every rule of the command line, every usage error it reports. */
class ArgParserTest {
    static final List<Option> GLOBALS =
            List.of(Option.valued("--address", "ADDRESS", "where to call"), Option.flag("--json", "JSON output"));

    static final Command<String> SHOW = Command.named("show")
            .summary("show one thing")
            .synopsis("NAME [--binary BINARY]")
            .argument("NAME", "its name")
            .option("--binary", "BINARY", "its binary")
            .flag("--detailed", "more")
            .runs(invocation -> 0);

    static final Command<String> REMOVE = Command.named("remove")
            .summary("remove a service")
            .synopsis("[BINARY] HOST")
            .optionalArgument("BINARY", "volume (default) or scheduler")
            .argument("HOST", "its host")
            .runs(invocation -> 0);

    static final Command<String> PROMOTE = Command.named("promote")
            .summary("promote")
            .synopsis("(--target ID=LOCATION... | --none)")
            .repeatableOption("--target", "ID=LOCATION", "a target; repeat for each")
            .flag("--none", "no targets")
            .runs(invocation -> 0);

    static final CommandGroup ROOT = CommandGroup.of(
            "tool",
            "a tool",
            "A tool to test the parser with.",
            CommandGroup.of("thing", "things", "Things.", SHOW),
            CommandGroup.of("service", "services", "Services.", REMOVE),
            PROMOTE);

    private final ArgParser parser = new ArgParser(ROOT, GLOBALS);

    private ArgParser.Parsed parse(String... argv) throws UsageException {
        return parser.parse(List.of(argv));
    }

    @Test
    void wordsWalkDownToACommandThenAreItsArguments() throws UsageException {
        ArgParser.Parsed p = parse("thing", "show", "a", "--binary", "volume", "--detailed");
        assertEquals(List.of("tool", "thing", "show"), p.path());
        assertSame(SHOW, p.node());
        assertFalse(p.help());
        assertEquals("a", p.args().argument("NAME"));
        assertEquals(Optional.of("volume"), p.args().value("--binary"));
        assertTrue(p.args().has("--detailed"));
        assertFalse(p.args().has("--json"));
        assertEquals(Optional.empty(), p.args().value("--address"));
    }

    @Test
    void optionsWithEqualsGlobalsAnywhereAndDoubleDash() throws UsageException {
        ArgParser.Parsed p = parse("--json", "thing", "--address=h:1", "show", "--binary=x", "--", "--odd");
        assertTrue(p.args().has("--json"));
        assertEquals(Optional.of("h:1"), p.args().value("--address"));
        assertEquals(Optional.of("x"), p.args().value("--binary"));
        assertEquals("--odd", p.args().argument("NAME"));
        assertEquals(
                Optional.of(""), parse("thing", "show", "a", "--binary=").args().value("--binary"));
    }

    @Test
    void aRepeatableOptionKeepsEveryValueInOrder() throws UsageException {
        ArgParser.Parsed p = parse("promote", "--target", "b=/b", "--target=a=/a");
        assertEquals(List.of("b=/b", "a=/a"), p.args().all("--target"));
        assertEquals(Optional.empty(), p.args().value("--target"));
        assertEquals(List.of(), parse("promote", "--none").args().all("--target"));
    }

    @Test
    void optionalArgumentsTakeTheWordsLeftOverFromLeftToRight() throws UsageException {
        ArgParser.Parsed one = parse("service", "remove", "h@fs");
        assertEquals("h@fs", one.args().argument("HOST"));
        assertEquals(Optional.empty(), one.args().optionalArgument("BINARY"));
        assertThrows(IllegalArgumentException.class, () -> one.args().argument("BINARY"));

        ArgParser.Parsed two = parse("service", "remove", "scheduler", "h@fs");
        assertEquals(Optional.of("scheduler"), two.args().optionalArgument("BINARY"));
        assertEquals("h@fs", two.args().argument("HOST"));
    }

    @Test
    void helpIsRecognisedAnywhereAndNeedsNoArguments() throws UsageException {
        assertTrue(parse("--help").help());
        assertTrue(parse("thing", "-h").help());
        ArgParser.Parsed p = parse("service", "remove", "--help");
        assertTrue(p.help());
        assertSame(REMOVE, p.node());
    }

    @Test
    void afterDoubleDashHelpIsAnArgument() throws UsageException {
        ArgParser.Parsed p = parse("thing", "show", "--", "--help");
        assertFalse(p.help());
        assertEquals("--help", p.args().argument("NAME"));
    }

    @Test
    void aGroupWithoutCommandParsesToTheGroup() throws UsageException {
        ArgParser.Parsed p = parse("thing");
        assertInstanceOf(CommandGroup.class, p.node());
        assertEquals(List.of("tool", "thing"), p.path());
    }

    @Test
    void mistakesAreUsageErrorsNamingWhereTheyWereFound() {
        assertUsage("unknown command 'things' for 'tool' (one of: thing, service, promote)", "tool", "things");
        assertUsage("unknown command 'list' for 'tool thing' (one of: show)", "tool thing", "thing", "list");
        assertUsage("unknown option --verbose for 'tool thing show'", "tool thing show", "thing", "show", "--verbose");
        assertUsage("unknown option --binary for 'tool thing'", "tool thing", "thing", "--binary", "x", "show");
        assertUsage("missing NAME", "tool thing show", "thing", "show");
        assertUsage("unexpected argument 'b'", "tool thing show", "thing", "show", "a", "b");
        assertUsage("missing HOST", "tool service remove", "service", "remove");
        assertUsage("unexpected argument 'x'", "tool service remove", "service", "remove", "volume", "h", "x");
        assertUsage("option --binary needs a value (--binary BINARY)", "tool thing show", "thing", "show", "--binary");
        assertUsage(
                "option --address needs a value (--address ADDRESS)",
                "tool thing show",
                "thing",
                "show",
                "--address",
                "--json");
        assertUsage("option --detailed takes no value", "tool thing show", "thing", "show", "--detailed=yes");
        assertUsage("option --binary given twice", "tool thing show", "thing", "show", "--binary", "a", "--binary=b");
        assertUsage("option --target needs a value (--target ID=LOCATION)", "tool promote", "promote", "--target");
    }

    private void assertUsage(String message, String where, String... argv) {
        UsageException e = assertThrows(UsageException.class, () -> parse(argv), String.join(" ", argv));
        assertEquals(message, e.getMessage());
        assertEquals(where, String.join(" ", e.path()));
        assertEquals(e.path().get(e.path().size() - 1), e.node().name());
    }

    @Test
    void aToolsCommandLineTakesHelpAsAWordAndHelpWinsOverAMistake() throws UsageException {
        ArgParser.Parsed p = parser.parseCommandLine(List.of("help", "service", "remove"));
        assertTrue(p.help());
        assertSame(REMOVE, p.node());
        assertEquals(List.of("tool", "service", "remove"), p.path());

        p = parser.parseCommandLine(List.of("thing", "bogus", "--help"));
        assertTrue(p.help(), "help of what the words got as far as");
        assertEquals(List.of("tool", "thing"), p.path());
        assertInstanceOf(CommandGroup.class, p.node());

        p = parser.parseCommandLine(List.of("thing", "show", "--verbose", "-h"));
        assertTrue(p.help());
        assertSame(SHOW, p.node());

        p = parser.parseCommandLine(List.of("thing", "show", "a"));
        assertFalse(p.help());
        assertEquals("a", p.args().argument("NAME"));
    }

    @Test
    void aToolsCommandLineNeedsACommandNotAGroup() {
        UsageException e =
                assertThrows(UsageException.class, () -> parser.parseCommandLine(List.of("--json", "thing")));
        assertEquals("'tool thing' needs a command (one of: show)", e.getMessage());
        assertEquals(List.of("tool", "thing"), e.path());
        e = assertThrows(UsageException.class, () -> parser.parseCommandLine(List.of("thing", "show", "a", "b")));
        assertEquals("unexpected argument 'b'", e.getMessage());
        assertTrue(assertDoesNotThrow(() -> parser.parseCommandLine(List.of("help")))
                .help());
    }

    @Test
    void aGroupCanBeExtended() {
        CommandGroup larger = ROOT.with(CommandGroup.of("extra", "more", "More."));
        assertEquals(
                List.of("thing", "service", "promote", "extra"),
                larger.children().stream().map(CommandNode::name).toList());
        assertEquals(3, ROOT.children().size());
    }
}
