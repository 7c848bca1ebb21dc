package io.tandem.cli;

import static io.tandem.cli.Messages.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.tandem.proto.v1.Cluster;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.ListClustersResponse;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.TargetScope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Tables and JSON from messages: what each command prints for a given answer. */
class RenderingTest {
    private static String printed(Consumer<PrintStream> printer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        printer.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tablesAlignColumnsWithoutTrailingBlanks() {
        Table table = Table.of("A", "BB", "C").row("xxx", "y", "").row("z", "", "last\ncell");
        assertEquals("A    BB  C\nxxx  y\nz        last cell\n", table.render());
        assertEquals(
                "  k:   v\n  kk:  w\n",
                Table.headless().row("k:", "v").row("kk:", "w").indented("  ").render());
        assertEquals("A  B\n", Table.of("A", "B").render());
        assertThrows(IllegalArgumentException.class, () -> Table.of("A", "B").row("only one"));
    }

    @Test
    void valuesReadAsCinderStrings() {
        assertEquals("failed-over", Text.enumValue(ReplicationStatus.getDescriptor(), 6));
        assertEquals("not-capable", Text.enumValue(ReplicationStatus.getDescriptor(), 3));
        assertEquals(
                "completed-with-fenced-members",
                Text.enumValue(
                        FailoverPhase.getDescriptor(),
                        FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS_VALUE));
        assertEquals("failback", Text.enumValue(FailoverKind.getDescriptor(), 2));
        assertEquals("cluster", Text.enumValue(TargetScope.getDescriptor(), 1));
        assertEquals("-", Text.enumValue(ReplicationStatus.getDescriptor(), 0));
        assertEquals("unknown(99)", Text.enumValue(ReplicationStatus.getDescriptor(), 99));
        assertEquals("(primary)", Text.backend(""));
        assertEquals("rep1", Text.backend("rep1"));
        assertEquals("-", Text.orNone(""));
        assertEquals("-", Text.positive(0));
        assertEquals("2025-03-01T10:00:00Z", Text.time(at("2025-03-01T10:00:00.250Z")));
        assertEquals("2025-03-01T10:00:00.250Z", Text.preciseTime(at("2025-03-01T10:00:00.250Z")));
        assertEquals("-", Text.time(com.google.protobuf.Timestamp.getDefaultInstance()));
        assertEquals("350ms", Text.duration(Duration.ofMillis(350)));
        assertEquals("4.2s", Text.duration(Duration.ofMillis(4200)));
        assertEquals("3m04s", Text.duration(Duration.ofSeconds(184)));
        assertEquals("1h02m03s", Text.duration(Duration.ofSeconds(3723)));
        assertEquals("2.3s", Text.between(at("2025-03-01T10:00:00Z"), at("2025-03-01T10:00:02.300Z")));
        assertEquals("a b c", Text.oneLine(" a\n  b \r\n c "));
    }

    @Test
    void clusterList() {
        List<Cluster> clusters = List.of(Messages.cluster1(), Messages.cluster2());
        assertEquals(
                """
                NAME          BINARY  STATE  STATUS    REPLICATION  ACTIVE-BACKEND  FROZEN
                cluster1@fs1  volume  up     enabled   failed-over  rep1            no
                cluster2@mem  volume  down   disabled  not-capable  (primary)       yes
                """,
                ClusterCommands.table(clusters, false).render());
        assertEquals(
                """
                NAME          BINARY  STATE  STATUS    REPLICATION  ACTIVE-BACKEND  FROZEN  EPOCH  HOSTS  DOWN\
                  LAST-HEARTBEAT        DISABLED-REASON           UPDATED
                cluster1@fs1  volume  up     enabled   failed-over  rep1            no      3      3      1   \
                  2025-03-01T10:00:05Z  -                         2025-03-01T10:00:00Z
                cluster2@mem  volume  down   disabled  not-capable  (primary)       yes     0      1      1   \
                  -                     maintenance until Monday  -
                """,
                ClusterCommands.table(clusters, true).render());
    }

    @Test
    void clusterShowMarksTheSiteServed() {
        assertEquals(
                """
                name:             cluster1@fs1
                binary:           volume
                state:            up
                status:           enabled
                disabled reason:  -
                replication:      failed-over
                active backend:   rep1
                frozen:           no
                epoch:            3
                hosts:            3 (1 down)
                last heartbeat:   2025-03-01T10:00:05Z
                created:          2025-03-01T09:00:00Z
                updated:          2025-03-01T10:00:00Z

                sites:
                  ROLE     BACKEND-ID  LOCATION              ACTIVE
                  primary  -           /sites/fs1/primary    no
                  target   rep1        /sites/fs1/secondary  yes
                """,
                printed(out -> ClusterCommands.print(Messages.cluster1(), out)));
        List<ReplicationTarget> sites = Messages.cluster1().getReplicationTargetsList();
        assertTrue(printed(out -> ClusterCommands.printSites(sites, "", out))
                .contains("  primary  -           /sites/fs1/primary    yes\n"));
        assertEquals("sites: none recorded\n", printed(out -> ClusterCommands.printSites(List.of(), "", out)));
    }

    @Test
    void serviceList() {
        assertEquals(
                """
                HOST       BINARY     CLUSTER       STATE  STATUS   REPLICATION  ACTIVE-BACKEND  FROZEN  EPOCH\
                  SERVED-EPOCH  UPDATED
                node1@fs1  volume     cluster1@fs1  up     enabled  failed-over  rep1            no      3    \
                  3             2025-03-01T10:00:04Z
                scheduler  scheduler  -             up     enabled  -            -               -       -    \
                  -             2025-03-01T09:00:00Z
                """,
                ServiceCommands.table(List.of(Messages.node1(), Messages.scheduler()))
                        .render());
    }

    @Test
    void journalList() {
        List<Failover> rows = List.of(
                Messages.failover42(FailoverPhase.FAILOVER_PHASE_COMPLETED),
                Messages.failover42(FailoverPhase.FAILOVER_PHASE_DRAINING).toBuilder()
                        .setId(41)
                        .setKind(FailoverKind.FAILOVER_KIND_FAILBACK)
                        .setFromBackendId("rep1")
                        .setToBackendId("")
                        .setRequestedBy("")
                        .build());
        assertEquals(
                """
                ID  KIND      TARGET        FROM       TO         PHASE      EPOCH  CLAIMED               DURATION\
                  REQUESTED-BY
                42  failover  cluster1@fs1  (primary)  rep1       completed  3      2025-03-01T10:00:00Z  4.2s    \
                  alice
                41  failback  cluster1@fs1  rep1       (primary)  draining   -      2025-03-01T10:00:00Z  -       \
                  -
                """,
                JournalCommands.table(rows).render());
    }

    @Test
    void journalShowHasPhasesDurationAndMembers() {
        assertEquals(
                """
                id:            42
                kind:          failover
                target:        cluster1@fs1 (cluster)
                from backend:  (primary)
                to backend:    rep1
                phase:         completed-with-fenced-members
                epoch:         3
                duration:      4.2s
                promoter:      node1@fs1
                owner:         -
                requested by:  alice
                request id:    req-5f0c2a5e-0000-4000-8000-000000000042
                error:         fenced: node3@fs1

                phases:
                  claimed    2025-03-01T10:00:00Z
                  promoted   2025-03-01T10:00:02.100Z  +2.1s
                  committed  2025-03-01T10:00:02.300Z  +2.3s
                  completed  2025-03-01T10:00:04.200Z  +4.2s

                members:
                  HOST       ACKED-EPOCH  ACKED-AT                  ATTEMPTS  FENCED  ERROR
                  node1@fs1  3            2025-03-01T10:00:02.400Z  1         no      -
                  node3@fs1  -            -                         5         yes     UNAVAILABLE: node3@fs1 unreachable
                """,
                printed(out -> JournalCommands.print(
                        Messages.failover42(FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS), out)));

        String claimed =
                printed(out -> JournalCommands.print(Messages.failover42(FailoverPhase.FAILOVER_PHASE_CLAIMED), out));
        assertTrue(claimed.contains("  promoted   -\n"), claimed);
        assertTrue(claimed.contains("members: none yet"), claimed);
        assertTrue(claimed.contains("duration:      -\n"), claimed);
    }

    @Test
    void phaseLinesTellHowItGoes() {
        assertEquals(
                "draining", FailoverCommands.phaseLine(Messages.failover42(FailoverPhase.FAILOVER_PHASE_DRAINING)));
        assertEquals(
                "promoting on node1@fs1",
                FailoverCommands.phaseLine(Messages.failover42(FailoverPhase.FAILOVER_PHASE_PROMOTING)));
        assertEquals(
                "completing, epoch 3",
                FailoverCommands.phaseLine(Messages.failover42(FailoverPhase.FAILOVER_PHASE_COMPLETING)));
        assertEquals(
                "completed in 4.2s, epoch 3",
                FailoverCommands.phaseLine(Messages.failover42(FailoverPhase.FAILOVER_PHASE_COMPLETED)));
        assertEquals(
                "completed-with-fenced-members in 4.2s, epoch 3; fenced: node3@fs1",
                FailoverCommands.phaseLine(
                        Messages.failover42(FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS)));
        assertEquals(
                "failed in 4.2s: driver failed: site rep1 unreachable",
                FailoverCommands.phaseLine(Messages.failover42(FailoverPhase.FAILOVER_PHASE_FAILED)));
    }

    @Test
    void nodeStatus() {
        assertEquals(
                """
                host:             node1@fs1
                cluster:          cluster1@fs1
                backend:          fs1
                driver:           shared_fs
                active backend:   rep1
                active location:  /sites/fs1/secondary
                served epoch:     3
                lease alive:      yes
                fenced:           no
                replicator:       yes
                active-active:    yes
                replication:      yes
                a/a replication:  yes
                driver targets:   rep1
                capacity:         87.5 GiB free of 100.0 GiB
                started:          2025-03-01T08:59:59Z
                """,
                printed(out -> NodeCommands.print(Messages.node1Status(), out)));
    }

    @Test
    void jsonIsTheProtobufMappingWithProtoNamesAndDefaults() throws Exception {
        ListClustersResponse response = ListClustersResponse.newBuilder()
                .addClusters(Messages.cluster2())
                .build();
        String json = Json.print(response);
        assertTrue(json.contains("\"name\": \"cluster2@mem\""), json);
        assertTrue(json.contains("\"replication_status\": \"REPLICATION_STATUS_NOT_CAPABLE\""), json);
        assertTrue(json.contains("\"active_backend_id\": \"\""), json);
        assertTrue(json.contains("\"is_up\": false"), json);
        ListClustersResponse.Builder back = ListClustersResponse.newBuilder();
        JsonFormat.parser().merge(json, back);
        assertEquals(response, back.build());
    }
}
