package io.tandem.replication;

import static io.tandem.replication.ServicesTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.ListFailoversRequest;
import io.tandem.proto.v1.ListFailoversResponse;
import io.tandem.proto.v1.TargetScope;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** ListFailovers (keyset pages, newest first, filters, limits) and GetFailover, read from rows written by hand. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailoverJournalTest {
    private ReplicationHarness harness;

    @BeforeAll
    void start() {
        // No resume scans: the unfinished rows written here belong to nobody alive and must stay as written.
        Map<String, Object> quiet = ReplicationHarness.fastFailover();
        quiet.put("tandem.replication.resume-interval", "1h");
        harness = ReplicationHarness.start(FailoverJournalTest.class, quiet);
    }

    @AfterAll
    void stop() {
        harness.close();
    }

    @BeforeEach
    void reset() {
        harness.reset();
    }

    private long row(String target, String phase) {
        boolean done = List.of("completed", "completed-with-fenced-members", "failed", "reverted")
                .contains(phase);
        return harness.value(
                "INSERT INTO failovers (kind, scope, target, from_backend_id, to_backend_id, phase, owner,"
                        + " requested_by, request_id, previous_status, claim_epoch, epoch, completed_at, finished_at)"
                        + " VALUES ('failback', 'host', ?, 'b1', 'default', ?, ?, 'carol', 'req-9', 'failed-over', 6,"
                        + " CASE WHEN ? THEN 7 END, CASE WHEN ? THEN now() END, CASE WHEN ? THEN now() END)"
                        + " RETURNING id",
                r -> r.getLong(1),
                target,
                phase,
                done ? null : "replication-far",
                done,
                done,
                done);
    }

    private ListFailoversResponse list(ListFailoversRequest.Builder request) {
        return harness.stub().listFailovers(request.build());
    }

    private static List<Long> ids(ListFailoversResponse page) {
        return page.getFailoversList().stream().map(Failover::getId).toList();
    }

    @Test
    void pagesAreNewestFirstAndKeysetBased() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(row("h" + (i % 3) + "@fs", "completed"));
        }

        ListFailoversResponse first = list(ListFailoversRequest.newBuilder().setPageSize(3));
        assertEquals(List.of(ids.get(6), ids.get(5), ids.get(4)), ids(first));
        assertFalse(first.getNextPageToken().isEmpty());
        row("h9@fs", "completed"); // a newer row does not shift the following pages
        ListFailoversResponse second =
                list(ListFailoversRequest.newBuilder().setPageSize(3).setPageToken(first.getNextPageToken()));
        assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1)), ids(second));
        ListFailoversResponse last =
                list(ListFailoversRequest.newBuilder().setPageSize(3).setPageToken(second.getNextPageToken()));
        assertEquals(List.of(ids.get(0)), ids(last));
        assertEquals("", last.getNextPageToken());
    }

    @Test
    void filtersByTargetAndUnfinishedAndTheLimitsOfThePageSize() {
        long a1 = row("a@fs", "reverted");
        long b1 = row("b@fs", "failed");
        long a2 = row("a@fs", "promoting");
        harness.sql("INSERT INTO failovers (kind, scope, target, phase, finished_at, previous_status)"
                + " SELECT 'failover', 'cluster', 'bulk-' || g || '@fs', 'completed', now(), 'enabled'"
                + " FROM generate_series(1, 520) g");

        assertEquals(List.of(a2, a1), ids(list(ListFailoversRequest.newBuilder().setTarget("a@fs"))));
        assertEquals(List.of(a2), ids(list(ListFailoversRequest.newBuilder().setUnfinishedOnly(true))));
        assertEquals(List.of(b1), ids(list(ListFailoversRequest.newBuilder().setTarget("b@fs"))));
        assertEquals(List.of(), ids(list(ListFailoversRequest.newBuilder().setTarget("none@fs"))));
        assertEquals(50, list(ListFailoversRequest.newBuilder()).getFailoversCount(), "0 means 50");
        assertEquals(
                500, list(ListFailoversRequest.newBuilder().setPageSize(5000)).getFailoversCount(), "capped");

        assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> list(ListFailoversRequest.newBuilder().setPageSize(-1)));
        for (String forged : List.of(
                "garbage!",
                Base64.getUrlEncoder().encodeToString("failovers-before:-3".getBytes()),
                Base64.getUrlEncoder().encodeToString("offset:10".getBytes()))) {
            assertCode(
                    Status.Code.INVALID_ARGUMENT,
                    () -> list(ListFailoversRequest.newBuilder().setPageToken(forged)));
        }
    }

    @Test
    void getFailoverReturnsOneRowWithItsMembers() {
        long id = row("h@fs", "completed-with-fenced-members");
        harness.sql(
                "UPDATE failovers SET error = 'n2@fs fenced', promoter_host = 'n1@fs', promoted_at = now(),"
                        + " committed_at = now() WHERE id = ?",
                id);
        harness.sql(
                "INSERT INTO failover_members (failover_id, host, acked_epoch, acked_at, attempts)"
                        + " VALUES (?, 'n1@fs', 7, now(), 1)",
                id);
        harness.sql(
                "INSERT INTO failover_members (failover_id, host, attempts, error, fenced)"
                        + " VALUES (?, 'n2@fs', 5, 'INTERNAL: cannot mount', true)",
                id);

        Failover f = harness.stub()
                .getFailover(GetFailoverRequest.newBuilder().setId(id).build())
                .getFailover();

        assertEquals(FailoverKind.FAILOVER_KIND_FAILBACK, f.getKind());
        assertEquals(TargetScope.TARGET_SCOPE_HOST, f.getScope());
        assertEquals(FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS, f.getPhase());
        assertEquals("b1", f.getFromBackendId());
        assertEquals("", f.getToBackendId(), "a failback goes to the primary, shown as the empty string");
        assertEquals(7, f.getEpoch());
        assertEquals("", f.getOwner());
        assertEquals("carol", f.getRequestedBy());
        assertEquals("req-9", f.getRequestId());
        assertEquals("n1@fs", f.getPromoterHost());
        assertEquals("n2@fs fenced", f.getError());
        assertTrue(f.hasDuration() && f.hasCompletedAt() && f.hasCommittedAt() && f.hasPromotedAt());
        assertEquals(2, f.getMembersCount());
        assertEquals(7, f.getMembers(0).getAckedEpoch());
        assertTrue(f.getMembers(0).hasAckedAt());
        assertTrue(f.getMembers(1).getFenced());
        assertEquals(5, f.getMembers(1).getAttempts());
        assertEquals("INTERNAL: cannot mount", f.getMembers(1).getError());

        Failover running = harness.failover(row("u@fs", "claimed"));
        assertEquals("replication-far", running.getOwner());
        assertEquals(0, running.getEpoch());
        assertFalse(running.hasDuration() || running.hasCompletedAt());

        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.failover(0));
        assertCode(Status.Code.NOT_FOUND, () -> harness.failover(id + 1000));
    }
}
