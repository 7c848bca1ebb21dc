package io.tandem.commandline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The help texts: usage lines, wrapping, paragraphs kept as written, the layout of a command's and a group's help. */
class HelpTest {
    private static final Command<String> LONG = Command.named("x")
            .synopsis("(--aaaaaaaaaa A | --bbbbbbbbbb B) [--cccccccccc C] (--dddddddddd D | --eeeeeeeeee)")
            .runs(invocation -> 0);

    @Test
    void aUsageWiderThanTheTerminalBreaksBetweenGroupsOnly() {
        assertEquals(
                "usage: tool x (--aaaaaaaaaa A | --bbbbbbbbbb B) [--cccccccccc C]\n"
                        + "              (--dddddddddd D | --eeeeeeeeee)",
                Help.usageLine(List.of("tool", "x"), LONG));
        assertEquals(
                "usage: tool thing show NAME [--binary BINARY]",
                Help.usageLine(List.of("tool", "thing", "show"), ArgParserTest.SHOW));
        assertEquals(
                "usage: tool thing COMMAND [options]", Help.usageLine(List.of("tool", "thing"), ArgParserTest.ROOT));
    }

    @Test
    void aOneLineUsageIsNeverBroken() {
        assertEquals(
                "usage: tool x (--aaaaaaaaaa A | --bbbbbbbbbb B) [--cccccccccc C] (--dddddddddd D | --eeeeeeeeee)",
                Help.usageLine(List.of("tool", "x"), LONG, Help.ONE_LINE));
        String help = Help.render(List.of("tool", "x"), LONG, ArgParserTest.GLOBALS, "", Help.ONE_LINE);
        assertTrue(help.startsWith(Help.usageLine(List.of("tool", "x"), LONG, Help.ONE_LINE) + "\n\n"), help);
        assertTrue(Help.render(List.of("tool", "x"), LONG, ArgParserTest.GLOBALS, "")
                .startsWith(Help.usageLine(List.of("tool", "x"), LONG) + "\n\n"));
    }

    @Test
    void wrapFillsLinesAndKeepsParagraphs() {
        assertEquals("ab cd\nef", Help.wrap("ab cd ef", 5, ""));
        assertEquals("> a\n> b\n\n> c", Help.wrap("a b\n\nc", 1, "> "));
        assertEquals("a b c", Help.wrap("\n  a\nb   c\n\n", 80, ""));
        assertEquals("averylongword\nb", Help.wrap("averylongword b", 5, ""));
        assertFalse(Help.wrap("x", 80, "").contains("\n"));
    }

    @Test
    void anIndentedParagraphIsKeptAsWritten() {
        String text = "Steps:\n\n  1. first, a long line that is not wrapped at all even if narrow\n     and its rest\n"
                + "  2. second\n\nThen the end.";
        assertEquals(
                "Steps:\n\n  1. first, a long line that is not wrapped at all even if narrow\n     and its rest\n"
                        + "  2. second\n\nThen\nthe\nend.",
                Help.wrap(text, 4, ""));
        assertEquals("# x\n\n#   y  z", Help.wrap("x\n\n  y  z", 80, "# "));
    }

    @Test
    void aCommandsHelpShowsItsDescriptionArgumentsAndOptions() {
        Command<String> remove = Command.named("remove")
                .summary("remove")
                .synopsis("[BINARY] HOST [--dry-run]")
                .description("Removes one service.\n\nRefused while it runs:\n\n  a. alive\n  b. busy")
                .optionalArgument("BINARY", "its binary")
                .argument("HOST", "its host")
                .flag("--dry-run", "change nothing")
                .runs(invocation -> 0);
        List<Option> globals =
                List.of(Option.valued("--db", "URL", "the database"), Option.flag("--help", "show help"));
        assertEquals(
                """
                usage: tool service remove [BINARY] HOST [--dry-run]

                Removes one service.

                Refused while it runs:

                  a. alive
                  b. busy

                arguments:
                  BINARY  its binary
                  HOST    its host

                options:
                  --dry-run  change nothing

                global options:
                  --db URL    the database
                  -h, --help  show help

                Exit status: 0 done.
                """,
                Help.render(List.of("tool", "service", "remove"), remove, globals, "Exit status: 0 done."));
    }

    @Test
    void aGroupsHelpListsEveryCommandUnderIt() {
        String help = Help.render(List.of("tool"), ArgParserTest.ROOT, ArgParserTest.GLOBALS, "One.\n\nTwo.");
        assertEquals(
                """
                usage: tool COMMAND [options]

                A tool to test the parser with.

                commands:
                  thing show      show one thing
                  service remove  remove a service
                  promote         promote

                global options (anywhere on the line):
                  --address ADDRESS  where to call
                  --json             JSON output

                Run 'tool COMMAND --help' for a command's options.

                One.

                Two.
                """,
                help);
        String sub = Help.render(
                List.of("tool", "thing"), ArgParserTest.ROOT.child("thing").orElseThrow(), List.of(), "");
        assertFalse(sub.contains("global options"), sub);
        assertTrue(sub.endsWith("Run 'tool thing COMMAND --help' for a command's options.\n"), sub);
    }

    @Test
    void longHelpWrapsUnderItself() {
        Command<String> c = Command.named("c")
                .option(
                        "--opt",
                        "V",
                        "a help text long enough to need more than one line when it stands after its label in the"
                                + " list")
                .runs(invocation -> 0);
        String help = Help.render(List.of("tool", "c"), c, List.of(), "");
        assertTrue(
                help.contains("  --opt V  a help text long enough to need more than one line when it stands\n"
                        + "           after its label in the list\n"),
                help);
        help.lines().forEach(l -> assertTrue(l.length() <= Help.WIDTH, l));
    }
}
