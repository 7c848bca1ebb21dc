package io.tandem.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.replication.domain.failover.Phase;
import io.tandem.replication.domain.failover.StatusTransition;
import io.tandem.replication.domain.failover.Transitions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The suite-level check that no transition of failover, failback, promote, freeze and thaw goes untested.
 *
 * <p>How it works: every write of replication-svc that makes a replication-status transition records it ({@link
 * Transitions}, one entry of {@link StatusTransition} per replication-svc row of docs/architecture.md's table), and so
 * does every phase edge of the journal. Each test harness adds its instance's counts to {@link TransitionCoverage}
 * when it closes. This class runs last (junit-platform.properties orders classes by {@link Order}) and checks:
 *
 * <ol>
 *   <li>always: the table's "by" column names who makes each row. Every replication-svc row has an entry (a claim
 *       row once per status it starts from), every entry names a replication-svc row, and no entry claims a row that
 *       another component makes (volume-svc's start-up rows are covered by volume-svc's own tests, not here), so the
 *       code's table cannot drift from the document;
 *   <li>when the classes that drive the protocol have run in this JVM (a full {@code mvn install}): every entry and
 *       every phase edge was exercised at least once. Run alone, it fails saying so, rather than pass.
 * </ol>
 */
@Order(Integer.MAX_VALUE)
class TransitionCoverageTest {
    /** The classes whose tests exercise the transitions; all must have run for the coverage check to mean anything. */
    private static final Set<String> DRIVERS = Set.of(
            "FailoverClaimTest",
            "FailoverProtocolTest",
            "FailoverResumeTest",
            "FreezeThawTest",
            "PromoteClaimTest",
            "PromoteProtocolTest",
            "PromoteResumeTest");

    private static final String REPLICATION_SVC = "replication-svc";
    /** Who may make a row: this service, a volume node (at its start), or nobody yet. */
    private static final Set<String> COMPONENTS = Set.of(REPLICATION_SVC, "volume-svc", "not built");

    private record DocRow(String from, String event, String to, String by) {}

    private static List<DocRow> documentedRows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "architecture.md"));
        int section = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("## Replication status")) {
                section = i;
                break;
            }
        }
        assertTrue(section >= 0, "docs/architecture.md has a section \"Replication status\"");
        List<DocRow> rows = new ArrayList<>();
        for (int i = section + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i).trim();
            if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| from ")) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            assertEquals(4, cells.length, "from | event | to | by: " + line);
            rows.add(new DocRow(cells[0].trim(), cells[1].trim(), cells[2].trim(), cells[3].trim()));
        }
        assertFalse(rows.isEmpty(), "the transition table was found");
        return rows;
    }

    @Test
    void everyReplicationSvcRowOfTheDocumentedTableHasAnEntryAndEveryEntryARow() throws IOException {
        List<DocRow> rows = documentedRows();
        rows.forEach(row -> assertTrue(COMPONENTS.contains(row.by()), "unknown component in \"by\": " + row));
        List<DocRow> ours =
                rows.stream().filter(r -> r.by().equals(REPLICATION_SVC)).toList();
        // failover/failback: claim, promote, failback, revert, driver error; promote: claim, enabled, disabled,
        // revert, driver error; the fenced member.
        assertEquals(11, ours.size(), "replication-svc's rows: " + ours);
        for (DocRow row : ours) {
            for (String from : row.from().split(",\\s*")) {
                assertTrue(
                        Arrays.stream(StatusTransition.values())
                                .anyMatch(t -> row.event().equals(t.docEvent()) && from.equals(t.from())),
                        "no StatusTransition for \"" + from + " | " + row.event() + "\"");
            }
        }
        Set<String> ourEvents = new TreeSet<>();
        ours.forEach(r -> ourEvents.add(r.event()));
        Set<String> othersEvents = new TreeSet<>();
        rows.stream().filter(r -> !r.by().equals(REPLICATION_SVC)).forEach(r -> othersEvents.add(r.event()));
        for (StatusTransition t : StatusTransition.values()) {
            if (t.docEvent() != null) {
                assertTrue(
                        ourEvents.contains(t.docEvent()),
                        t + " names an event the document does not list as replication-svc's: " + t.docEvent());
                assertFalse(othersEvents.contains(t.docEvent()), t + " claims another component's row");
            }
        }
    }

    @Test
    void everyTransitionAndPhaseEdgeWasExercisedByTheSuite() {
        Set<String> missingClasses = new TreeSet<>(DRIVERS);
        missingClasses.removeAll(TransitionCoverage.contributors());
        // Run alone this fails rather than skips: coverage is a property of the whole suite, which CI always runs.
        assertTrue(
                missingClasses.isEmpty(),
                "coverage is measured over the whole replication-svc suite (mvn -pl replication-svc test);"
                        + " these classes did not run in this JVM: " + missingClasses);

        List<String> never = new ArrayList<>();
        for (StatusTransition t : StatusTransition.values()) {
            if (TransitionCoverage.count(t) == 0) {
                never.add(t + " (" + t.from() + " | " + t.docEvent() + " | " + t.to() + ")");
            }
        }
        for (Phase from : Phase.values()) {
            for (Phase to : from.successors()) {
                if (TransitionCoverage.count(Transitions.edge(from, to)) == 0) {
                    never.add("phase " + Transitions.edge(from, to));
                }
            }
        }
        assertEquals(List.of(), never, "transitions no test exercised");
    }
}
