package io.tandem.replication.domain.failover;

import io.tandem.core.error.TandemException;
import io.tandem.core.retry.Backoff;
import io.tandem.membership.EpochRecord;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.failover.FailoverMemberRow;
import io.tandem.persistence.failover.FailoverRepository;
import io.tandem.persistence.failover.FailoverRow;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.replication.domain.Binaries;
import io.tandem.replication.domain.liveness.LiveView;
import io.tandem.replication.domain.liveness.Liveness;
import io.tandem.replication.domain.members.MemberCallException;
import io.tandem.replication.domain.members.MemberCalls;
import io.tandem.replication.domain.members.NodeRef;
import io.tandem.replication.domain.members.PromoteResult;
import io.tandem.replication.domain.scope.Scope;
import io.tandem.replication.domain.scope.ScopeWrites;
import io.tandem.replication.domain.scope.Scopes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one journal row through the acknowledged two-phase protocol (docs/architecture.md), from whatever phase it
 * is in: the same code runs a fresh claim and resumes a row whose owner died. The state machine is {@link #steps}:
 * each unfinished phase maps to the one step that leaves it, and every step is idempotent, so repeating a step after
 * a crash is harmless.
 *
 * <table>
 *   <caption>Phases and steps</caption>
 *   <tr><th>phase</th><th>step</th><th>next phase</th></tr>
 *   <tr><td>claimed</td><td>begin the drain</td><td>draining</td></tr>
 *   <tr><td>draining</td><td>wait (bounded) until no workers row of the scope is left</td><td>promoting</td></tr>
 *   <tr><td>promoting</td><td>VolumeService.Failover (a promote: UpdateHostReplication) on one live member serving
 *       the claim's epoch, then the commit transaction</td><td>completing; reverted (invalid target or targets);
 *       failed (driver error)</td></tr>
 *   <tr><td>completing</td><td>write the epoch key, FailoverCompleted to every member row in parallel, fence those
 *       that kept failing</td><td>completed; completed-with-fenced-members</td></tr>
 * </table>
 *
 * <p>Failover, failback and promote rows share the machine: only the promoting step differs by kind (which member
 * call, what the commit writes, what a release leaves), and {@link Promotion} holds those differences.
 *
 * <p>Every journal write is a compare-and-swap on (id, phase, owner): when another instance has taken the row over,
 * the step's write fails and this coordinator stops without touching anything else. Plain Java: the caller provides
 * the thread (and interrupts it to stop), and an executor for the parallel FailoverCompleted calls.
 */
public final class FailoverCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverCoordinator.class);
    private static final String IN_FLIGHT_OF_CLUSTER = "SELECT count(*) FROM workers w WHERE w.service_id IN"
            + " (SELECT s.id FROM services s WHERE s.cluster_name = ? AND s.binary_name = '" + Binaries.VOLUME + "')"
            + " OR (w.resource_type = 'Volume' AND w.resource_id IN"
            + " (SELECT CAST(v.id AS text) FROM volumes v WHERE v.cluster_name = ?))";
    private static final String IN_FLIGHT_OF_HOST = "SELECT count(*) FROM workers w WHERE w.service_id = ?"
            + " OR (w.resource_type = 'Volume' AND w.resource_id IN"
            + " (SELECT CAST(v.id AS text) FROM volumes v WHERE v.cluster_name IS NULL AND v.host = ?))";

    /** One step of the state machine: does its work and moves the row on by compare-and-swap. */
    @FunctionalInterface
    interface Step {
        /** Returns the phase the row was moved to; throws {@link LostRow} when another instance drives it now. */
        Phase run(FailoverRow row) throws InterruptedException;
    }

    private final String self;
    private final DataSource dataSource;
    private final FailoverRepository journal;
    private final Scopes scopes;
    private final Liveness liveness;
    private final EtcdMembership membership;
    private final MemberCalls calls;
    private final FailoverSettings settings;
    private final Transitions transitions;
    private final ExecutorService fanOut;
    private final Map<Phase, Step> steps = new EnumMap<>(Phase.class);

    public FailoverCoordinator(
            String self,
            DataSource dataSource,
            Liveness liveness,
            EtcdMembership membership,
            MemberCalls calls,
            FailoverSettings settings,
            Transitions transitions,
            ExecutorService fanOut) {
        this.self = Objects.requireNonNull(self, "self");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.journal = new FailoverRepository(dataSource);
        this.scopes = new Scopes(dataSource);
        this.liveness = Objects.requireNonNull(liveness, "liveness");
        this.membership = Objects.requireNonNull(membership, "membership");
        this.calls = Objects.requireNonNull(calls, "calls");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transitions = Objects.requireNonNull(transitions, "transitions");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        // The state machine: phase -> the step that leaves it. Final phases have no step.
        steps.put(Phase.CLAIMED, this::beginDrain);
        steps.put(Phase.DRAINING, this::drain);
        steps.put(Phase.PROMOTING, this::promote);
        steps.put(Phase.COMPLETING, this::complete);
    }

    /**
     * Runs row {@code id} from its current phase until it is final, or until another instance owns it. Returns
     * normally in both cases; a dependency failure (database or etcd down) propagates, leaving the row where it is
     * for the next resume.
     */
    public void run(long id) throws InterruptedException {
        FailoverRow row = load(id);
        Phase phase = Phase.of(row.phase());
        while (!phase.terminal()) {
            if (!self.equals(row.owner())) {
                LOG.info("Failover {} is driven by {}, not {}; leaving it", id, row.owner(), self);
                return;
            }
            Phase reached;
            try {
                reached = steps.get(phase).run(row);
            } catch (LostRow lost) {
                LOG.warn("Failover {} of {}: {} no longer drives it ({})", id, row.target(), self, lost.getMessage());
                return;
            }
            if (!phase.successors().contains(reached)) {
                throw new IllegalStateException("step of " + phase + " reached " + reached);
            }
            transitions.record(phase, reached);
            LOG.info("Failover {} of {}: {} -> {}", id, row.target(), phase.stored(), reached.stored());
            row = load(id);
            phase = Phase.of(row.phase());
        }
    }

    // ---- claimed -> draining

    private Phase beginDrain(FailoverRow row) {
        advance(row, Phase.CLAIMED, Phase.DRAINING);
        return Phase.DRAINING;
    }

    // ---- draining -> promoting

    private Phase drain(FailoverRow row) throws InterruptedException {
        Scope scope = scope(row);
        // The deadline counts from the claim, not from this step: a row resumed after its owner died does not drain
        // the whole timeout again (the cluster has refused new operations since the claim).
        Duration left = settings.drainTimeout().minus(journal.sinceClaimed(row.id()));
        long deadline = System.nanoTime() + Math.max(0, left.toNanos());
        long inFlight = inFlight(scope);
        while (inFlight > 0 && System.nanoTime() - deadline < 0) {
            pause(settings.drainPollInterval());
            inFlight = inFlight(scope);
        }
        if (inFlight > 0) {
            LOG.warn(
                    "Failover {} of {}: {} operation(s) still in flight {} after the claim (drain timeout); promoting"
                            + " anyway (their writes are fenced by the epoch)",
                    row.id(),
                    scope.name(),
                    inFlight,
                    settings.drainTimeout());
        }
        advance(row, Phase.DRAINING, Phase.PROMOTING);
        return Phase.PROMOTING;
    }

    private long inFlight(Scope scope) {
        return Transactions.withConnection(
                dataSource,
                c -> scope.kind() == Scope.Kind.CLUSTER
                        ? Queries.one(c, IN_FLIGHT_OF_CLUSTER, r -> r.getLong(1), scope.name(), scope.name())
                                .orElseThrow()
                        : Queries.one(c, IN_FLIGHT_OF_HOST, r -> r.getLong(1), (int) scope.rowId(), scope.name())
                                .orElseThrow());
    }

    // ---- promoting -> completing | reverted | failed

    private Phase promote(FailoverRow row) throws InterruptedException {
        Scope scope = scope(row);
        Promotion promotion = Promotion.of(row);
        long claimEpoch = row.claimEpoch();
        Backoff backoff = settings.backoff(settings.promoteAttempts());
        String lastError = "no member was asked";
        for (int round = 1; round <= settings.promoteAttempts(); round++) {
            List<NodeRef> members;
            try {
                members = promoters(scope, claimEpoch, row.promoterHost());
                if (members.isEmpty()) {
                    lastError = "no live member of " + scope.name() + " serves epoch " + claimEpoch;
                }
            } catch (TandemException e) {
                members = List.of();
                lastError = e.getMessage();
            }
            for (NodeRef member : members) {
                if (!journal.recordPromoter(row.id(), self, member.host())) {
                    throw new LostRow("the promoter could not be recorded");
                }
                PromoteResult result;
                try {
                    result = promotion.ask(calls, member, row);
                } catch (MemberCallException e) {
                    switch (e.outcome()) {
                        case REJECTED:
                            return end(
                                    row,
                                    scope,
                                    Phase.REVERTED,
                                    promotion.reverted(row),
                                    member.host() + " rejected the request: " + e.getMessage());
                        case FAILED:
                            return end(
                                    row,
                                    scope,
                                    Phase.FAILED,
                                    promotion.failed(row),
                                    "The promote on " + member.host() + " failed: " + e.getMessage());
                        default:
                            lastError = e.getMessage();
                            LOG.warn(
                                    "Failover {}: promote on {} did not run ({}); asking the next member",
                                    row.id(),
                                    member.host(),
                                    e.getMessage());
                            continue;
                    }
                }
                if (!journal.recordPromoted(row.id(), self, member.host())) {
                    throw new LostRow("the promote's answer could not be recorded");
                }
                return commit(row, scope, promotion, member.host(), result);
            }
            if (round < settings.promoteAttempts()) {
                pause(backoff.delayAfter(round));
            }
        }
        return end(
                row,
                scope,
                Phase.FAILED,
                promotion.failed(row),
                "No member of " + scope.name() + " could run the promote after " + settings.promoteAttempts()
                        + " round(s); last error: " + lastError);
    }

    /** Live members serving the claim's epoch (the ones a promote may run on), the previously asked one first. */
    private List<NodeRef> promoters(Scope scope, long claimEpoch, String preferred) {
        return liveMembers(scope).stream()
                .filter(m -> m.epoch() == claimEpoch)
                .map(NodeRef::of)
                .sorted(Comparator.comparing((NodeRef n) -> !n.host().equals(preferred))
                        .thenComparing(NodeRef::host))
                .toList();
    }

    /**
     * Step 3, the commit, in one transaction: what the kind writes ({@link Promotion#commit}: the scope, a cluster's
     * services, the volumes, for a promote the sites), one member row per member live now, and the journal row to
     * completing with the new epoch. Then the step is over; the epoch key is written by the complete step, which
     * also repeats it after a crash.
     */
    private Phase commit(FailoverRow row, Scope scope, Promotion promotion, String promoter, PromoteResult result) {
        Optional<String> unusable = promotion.unusable(row, promoter, result);
        if (unusable.isPresent()) {
            return end(row, scope, Phase.FAILED, promotion.failed(row), unusable.get());
        }
        long epoch = row.claimEpoch() + 1;
        List<String> members =
                liveMembers(scope).stream().map(MemberInfo::host).sorted().toList();
        long started = System.nanoTime();
        Promotion.Commit committed;
        try {
            committed = Transactions.inTransaction(dataSource, c -> {
                Promotion.Commit done = promotion.commit(c, scope, row, result);
                FailoverRepository.insertMembers(c, row.id(), members);
                // Last, so that committed_at is when the transaction's work ended; losing the row rolls it all back.
                if (!FailoverRepository.commit(c, row.id(), self, epoch)) {
                    throw new LostRow("the commit lost the journal row");
                }
                return done;
            });
        } catch (Promotion.NotCommitted e) {
            if (e.scopeStillHeld()) {
                return end(row, scope, Phase.FAILED, promotion.failed(row), e.getMessage());
            }
            if (!journal.finish(row.id(), self, Phase.PROMOTING.stored(), Phase.FAILED.stored(), e.getMessage())) {
                throw new LostRow("the journal row changed");
            }
            return Phase.FAILED;
        }
        transitions.record(committed.transition());
        if (committed.volumesChanged() < result.volumeUpdates().size()) {
            LOG.warn(
                    "Failover {}: {} of {} volume update(s) named no volume of {}",
                    row.id(),
                    result.volumeUpdates().size() - committed.volumesChanged(),
                    result.volumeUpdates().size(),
                    scope.name());
        }
        LOG.info(
                "Failover {} ({}) committed: {} serves {} at epoch {}; {} volume(s) updated in {} ms; members {}",
                row.id(),
                row.kind(),
                scope.name(),
                shown(committed.activeBackendId()),
                epoch,
                committed.volumesChanged(),
                (System.nanoTime() - started) / 1_000_000,
                members);
        return Phase.COMPLETING;
    }

    /**
     * Ends a row that committed nothing ({@link Phase#REVERTED}: the member rejected the request; {@link
     * Phase#FAILED}: its driver failed, or nobody could run it) and releases the scope as the kind says.
     */
    private Phase end(FailoverRow row, Scope scope, Phase phase, Promotion.Release release, String message) {
        Promotion promotion = Promotion.of(row);
        boolean released = Transactions.inTransaction(dataSource, c -> {
            if (!FailoverRepository.finish(c, row.id(), self, Phase.PROMOTING.stored(), phase.stored(), message)) {
                throw new LostRow("the journal row could not be ended");
            }
            return ScopeWrites.release(
                    c, scope, promotion.held(), row.claimEpoch(), release.status(), release.memberStatus());
        });
        if (released) {
            transitions.record(release.transition());
        } else {
            LOG.warn(
                    "Failover {}: {} was no longer {}; its status was left alone",
                    row.id(),
                    scope.name(),
                    promotion.held());
        }
        LOG.warn(
                "Failover {} ({}) of {} {}, {}: {}",
                row.id(),
                row.kind(),
                scope.name(),
                phase.stored(),
                released ? "now " + release.status() : "status untouched",
                message);
        return phase;
    }

    // ---- completing -> completed | completed-with-fenced-members

    private Phase complete(FailoverRow row) throws InterruptedException {
        Scope scope = scope(row);
        long epoch = row.epoch();
        // A failback and a promote end on the primary (to_backend_id default), a failover on its target.
        String active = FailoverClaims.DEFAULT.equals(row.toBackendId()) ? null : row.toBackendId();
        // Repeated on resume: writing the stored epoch again is a no-op, an older one is never written over a newer.
        membership.epochs().write(scope.name(), new EpochRecord(epoch, active));

        List<FailoverMemberRow> pending = journal.members(row.id()).stream()
                .filter(m -> !m.acked() && !m.fenced())
                .toList();
        Map<String, Future<Boolean>> answers = new LinkedHashMap<>();
        for (FailoverMemberRow member : pending) {
            answers.put(member.host(), fanOut.submit(() -> completeMember(row, scope, member, epoch, active)));
        }
        List<String> unacked = new ArrayList<>();
        try {
            for (Map.Entry<String, Future<Boolean>> answer : answers.entrySet()) {
                if (!acked(answer.getValue(), row, answer.getKey())) {
                    unacked.add(answer.getKey());
                }
            }
        } catch (InterruptedException e) {
            answers.values().forEach(f -> f.cancel(true));
            throw e;
        }
        fenceUnacked(row, scope, epoch, unacked);

        List<FailoverMemberRow> after = journal.members(row.id());
        List<String> fenced = after.stream()
                .filter(FailoverMemberRow::fenced)
                .map(m -> m.host() + " (" + m.attempts() + " attempt(s); last error: " + m.error() + ")")
                .toList();
        Phase end = fenced.isEmpty() ? Phase.COMPLETED : Phase.COMPLETED_WITH_FENCED_MEMBERS;
        String error =
                fenced.isEmpty() ? null : "Fenced after FailoverCompleted kept failing: " + String.join("; ", fenced);
        if (!journal.finish(row.id(), self, Phase.COMPLETING.stored(), end.stored(), error)) {
            throw new LostRow("the journal row could not be ended");
        }
        return end;
    }

    private static boolean acked(Future<Boolean> answer, FailoverRow row, String host) throws InterruptedException {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            LOG.warn(
                    "Failover {}: FailoverCompleted to {} ended with {}",
                    row.id(),
                    host,
                    e.getCause().toString());
            return false;
        }
    }

    /**
     * FailoverCompleted to one member until it acknowledges or its attempts are used up (attempts already made by a
     * previous owner count). Each attempt looks the member up again, since it may have restarted elsewhere.
     */
    private boolean completeMember(FailoverRow row, Scope scope, FailoverMemberRow member, long epoch, String active)
            throws InterruptedException {
        int attempts = member.attempts();
        int budget = Math.max(1, settings.completeAttempts() - attempts);
        Backoff backoff = settings.backoff(budget);
        for (int i = 1; i <= budget; i++) {
            attempts++;
            String error;
            try {
                NodeRef node = locate(scope, member.host());
                long served = calls.complete(node, row.id(), active, epoch, row.requestId());
                if (served == epoch) {
                    journal.recordAck(row.id(), member.host(), epoch, attempts);
                    return true;
                }
                error = member.host() + " answered that it serves epoch " + served + ", not " + epoch;
            } catch (MemberCallException e) {
                error = e.getMessage();
            } catch (TandemException e) {
                error = e.getMessage();
            }
            journal.recordFailedAttempt(row.id(), member.host(), attempts, error);
            LOG.warn(
                    "Failover {}: FailoverCompleted attempt {} to {} failed: {}",
                    row.id(),
                    attempts,
                    member.host(),
                    error);
            if (i < budget) {
                pause(backoff.delayAfter(i));
            }
        }
        return false;
    }

    private NodeRef locate(Scope scope, String host) throws MemberCallException {
        Optional<MemberInfo> member = membership.member(scope.cluster(), host);
        if (member.isEmpty()) {
            throw new MemberCallException(MemberCallException.Outcome.TRY_ANOTHER, host + " is not up");
        }
        return NodeRef.of(member.get());
    }

    /**
     * Members that never acknowledged: a member that is still live is fenced (its service row to error, so it takes
     * no work until it converges); one that went down is not, since it reads the database before it serves again.
     * A non-clustered host is its own scope row, so it is fenced by its stale epoch alone, not by an error status.
     */
    private void fenceUnacked(FailoverRow row, Scope scope, long epoch, List<String> unacked) {
        if (unacked.isEmpty()) {
            return;
        }
        Set<String> live;
        try {
            live = liveMembers(scope).stream().map(MemberInfo::host).collect(Collectors.toSet());
        } catch (TandemException e) {
            LOG.warn(
                    "Failover {}: liveness unknown ({}); fencing every member that did not acknowledge",
                    row.id(),
                    e.getMessage());
            live = Set.copyOf(unacked);
        }
        for (String host : unacked) {
            if (!live.contains(host)) {
                journal.noteMember(
                        row.id(),
                        host,
                        "went down before it acknowledged; it converges from the database when it starts again");
                continue;
            }
            String error = journal.members(row.id()).stream()
                    .filter(m -> m.host().equals(host))
                    .map(FailoverMemberRow::error)
                    .findFirst()
                    .orElse(null);
            boolean serviceFenced = Transactions.inTransaction(dataSource, c -> {
                FailoverRepository.fence(c, row.id(), host, error);
                return scope.kind() == Scope.Kind.CLUSTER && ScopeWrites.fenceMember(c, host, epoch);
            });
            if (serviceFenced) {
                transitions.record(StatusTransition.MEMBER_FENCED);
            }
            LOG.warn(
                    "Failover {}: member {} fenced after its FailoverCompleted kept failing: {}",
                    row.id(),
                    host,
                    error);
        }
    }

    // ---- helpers

    private List<MemberInfo> liveMembers(Scope scope) {
        LiveView live = liveness.read(Collections.singletonList(scope.cluster()), Set.of());
        return scope.kind() == Scope.Kind.CLUSTER
                ? live.members(scope.name())
                : live.member(null, scope.name()).stream().toList();
    }

    private Scope scope(FailoverRow row) {
        return scopes.reload(row.scope(), row.target());
    }

    private FailoverRow load(long id) {
        return journal.find(id).orElseThrow(() -> new IllegalStateException("journal row " + id + " is gone"));
    }

    private void advance(FailoverRow row, Phase from, Phase to) {
        if (!journal.advance(row.id(), self, from.stored(), to.stored())) {
            throw new LostRow("the row is no longer " + from.stored() + " and owned by " + self);
        }
    }

    private static void pause(Duration duration) throws InterruptedException {
        if (!duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration.toMillis());
        } else if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private static String shown(String backendId) {
        return backendId == null ? "the primary site" : backendId;
    }

    /** Another instance drives the row now (its compare-and-swap won): stop without writing anything else. */
    static final class LostRow extends RuntimeException {
        LostRow(String message) {
            super(message, null, false, false);
        }
    }
}
