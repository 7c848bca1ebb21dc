package io.tandem.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aligned plain-text columns: every cell left-aligned, two spaces between columns, no trailing blanks, one line per row
 * (line breaks inside a cell become spaces). With headers it is a listing; without, a list of {@code field: value}
 * lines such as the {@code show} commands print.
 */
final class Table {
    private static final String GAP = "  ";

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();
    private final String indent;

    private Table(String indent, String[] headers) {
        this.indent = indent;
        this.headers = headers;
    }

    /** A listing with these column headers. */
    static Table of(String... headers) {
        return new Table("", headers.clone());
    }

    /** Rows without a header line. */
    static Table headless() {
        return new Table("", null);
    }

    /** The same table with every line indented by {@code prefix}. */
    Table indented(String prefix) {
        Table copy = new Table(prefix, headers);
        copy.rows.addAll(rows);
        return copy;
    }

    Table row(String... cells) {
        if (headers != null && cells.length != headers.length) {
            throw new IllegalArgumentException(
                    "row of " + cells.length + " cells for " + headers.length + " columns: " + Arrays.toString(cells));
        }
        rows.add(Arrays.stream(cells).map(Text::oneLine).toArray(String[]::new));
        return this;
    }

    void print(PrintStream out) {
        out.print(render());
    }

    String render() {
        List<String[]> lines = new ArrayList<>();
        if (headers != null) {
            lines.add(headers);
        }
        lines.addAll(rows);
        int columns = lines.stream().mapToInt(l -> l.length).max().orElse(0);
        int[] widths = new int[columns];
        for (String[] line : lines) {
            for (int c = 0; c < line.length; c++) {
                widths[c] = Math.max(widths[c], line[c].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] line : lines) {
            StringBuilder one = new StringBuilder(indent);
            for (int c = 0; c < line.length; c++) {
                one.append(line[c]);
                if (c < line.length - 1) {
                    one.append(" ".repeat(widths[c] - line[c].length())).append(GAP);
                }
            }
            text.append(one.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
