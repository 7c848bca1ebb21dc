package io.tandem.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.commandline.Command;
import io.tandem.commandline.UsageException;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.FailoverResponse;
import io.tandem.proto.v1.FreezeRequest;
import io.tandem.proto.v1.FreezeResponse;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.GetFailoverResponse;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.PromoteResponse;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.ThawRequest;
import io.tandem.proto.v1.ThawResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code tandem failover|failback|promote|freeze|thaw}: ReplicationService.Failover (backend id "default" for a
 * failback), Promote, Freeze and Thaw of one cluster or host, and {@code --wait}, which follows the failover journal
 * row (of a failover, failback or promote) to its end.
 */
final class FailoverCommands {
    /** Exit status of {@code --wait} when the failover (or promote) completed with fenced members. */
    static final int FENCED = 3;
    /** How often {@code --wait} polls GetFailover. */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    /**
     * Consecutive UNAVAILABLE or DEADLINE_EXCEEDED answers {@code --wait} rides out (a replication-svc restart: the
     * failover resumes on another instance) before giving up.
     */
    static final int MAX_POLL_FAILURES = 60;

    private static final Set<FailoverPhase> FINAL = EnumSet.of(
            FailoverPhase.FAILOVER_PHASE_COMPLETED,
            FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS,
            FailoverPhase.FAILOVER_PHASE_FAILED,
            FailoverPhase.FAILOVER_PHASE_REVERTED);

    private static final String TARGET_SYNOPSIS = "(--cluster NAME | --host HOST)";
    private static final String CLUSTER_HELP = "the cluster, <cluster>@<backend>, e.g. cluster1@fs1";
    private static final String HOST_HELP = "a host, <node>@<backend>; a clustered host stands for its whole cluster";
    private static final String WAIT_HELP = "follow the journal row until it ends, printing each phase; exit status 0"
            + " completed, 3 completed with fenced members, 1 failed or reverted";

    private FailoverCommands() {}

    /** What a failover, promote, freeze or thaw names: exactly one of a cluster and a host. */
    record Target(String cluster, String host) {
        static Target of(Invocation invocation) throws UsageException {
            Optional<String> cluster = invocation.args().value("--cluster");
            Optional<String> host = invocation.args().value("--host");
            if (cluster.isPresent() == host.isPresent()) {
                throw invocation.usageError("give exactly one of --cluster NAME and --host HOST");
            }
            if (cluster.map(String::isBlank).orElse(false)
                    || host.map(String::isBlank).orElse(false)) {
                throw invocation.usageError("--cluster and --host need a non-empty name");
            }
            return new Target(cluster.orElse(null), host.orElse(null));
        }

        String name() {
            return cluster != null ? cluster : host;
        }
    }

    static Command<Invocation> failover() {
        return Command.named("failover")
                .summary("fail a cluster (or host) over to a replication target; prints the journal id")
                .synopsis(TARGET_SYNOPSIS + " [--backend-id ID] [--wait]")
                .description(
                        """
                        Fails a cluster, or a non-clustered host, over to a replication target
                        (ReplicationService.Failover). The call returns once the failover is claimed: this prints
                        its journal id, and the failover runs on in replication-svc (drain, promote on one member,
                        commit with a new epoch, every live member acknowledges). Follow it with
                        'tandem failover-journal show ID', or give --wait. Not idempotent: after an ambiguous failure
                        (a deadline), look for the row with 'tandem failover-journal list --target NAME --unfinished'
                        before trying again.""")
                .option("--cluster", "NAME", CLUSTER_HELP)
                .option("--host", "HOST", HOST_HELP)
                .option(
                        "--backend-id",
                        "ID",
                        "the replication target to serve; \"default\" fails back to the primary site; omitted: the"
                                + " backend's only target")
                .flag("--wait", WAIT_HELP)
                .runs(invocation -> failover(
                        invocation, invocation.args().value("--backend-id").orElse(""), "failover"));
    }

    static Command<Invocation> failback() {
        return Command.named("failback")
                .summary("fail a cluster (or host) back to its primary site; prints the journal id")
                .synopsis(TARGET_SYNOPSIS + " [--wait]")
                .description(
                        """
                        Fails a cluster, or a non-clustered host, back to its primary site: a failover with backend
                        id "default" (ReplicationService.Failover). Prints the journal id; runs on in the background
                        like a failover (see 'tandem failover --help').""")
                .option("--cluster", "NAME", CLUSTER_HELP)
                .option("--host", "HOST", HOST_HELP)
                .flag("--wait", WAIT_HELP)
                .runs(invocation -> failover(invocation, "default", "failback"));
    }

    static Command<Invocation> promote() {
        return Command.named("promote")
                .summary(
                        "make the site a cluster (or host) serves its primary, with new targets; prints the journal id")
                .synopsis(TARGET_SYNOPSIS + " (--target BACKEND_ID=LOCATION... | --no-targets) [--wait]")
                .description(
                        """
                        Promotes the site a cluster, or a non-clustered host, currently serves to be its primary and
                        sets its new replication targets, online (ReplicationService.Promote): after a failover from
                        site A to site B, 'tandem promote --cluster cluster1@fs1 --target site-c=/srv/site-c' makes B
                        the primary, replicating to C. No restart, no configuration edit. The call returns once the
                        promote is claimed: this prints its journal id, and the promote runs on in replication-svc
                        like a failover (drain, update on one member, commit with a new epoch, every live member
                        acknowledges). Follow it with 'tandem failover-journal show ID', or give --wait.

                        Give every target the backend is to have afterwards, one --target each, in order. To leave it
                        without replication, say so with --no-targets: a promote with neither is refused, so that a
                        forgotten --target never drops replication. A promote that failed leaves the backend in
                        error: promote again (with the same or other targets) to retry. Not idempotent: after an
                        ambiguous failure (a deadline), look for the row with 'tandem failover-journal list --target
                        NAME --unfinished' before trying again.""")
                .option("--cluster", "NAME", CLUSTER_HELP)
                .option("--host", "HOST", HOST_HELP)
                .repeatableOption(
                        "--target",
                        "BACKEND_ID=LOCATION",
                        "a replication target after the promote: its backend id and where it is (the site directory,"
                                + " for the shared-filesystem driver); repeat for each target")
                .flag("--no-targets", "no targets: the backend ends with replication disabled")
                .flag("--wait", WAIT_HELP)
                .runs(FailoverCommands::promote);
    }

    static Command<Invocation> freeze() {
        return Command.named("freeze")
                .summary("freeze a cluster (or host): create, delete and extend are refused")
                .synopsis(TARGET_SYNOPSIS)
                .description(
                        """
                        Freezes a cluster, or a non-clustered host (ReplicationService.Freeze): management operations
                        (create, delete, extend) are refused until it is thawed; failover stays allowed. Freezing a
                        frozen backend fails with FAILED_PRECONDITION.""")
                .option("--cluster", "NAME", CLUSTER_HELP)
                .option("--host", "HOST", HOST_HELP)
                .runs(FailoverCommands::freeze);
    }

    static Command<Invocation> thaw() {
        return Command.named("thaw")
                .summary("thaw a frozen cluster (or host)")
                .synopsis(TARGET_SYNOPSIS)
                .description(
                        """
                        Thaws a frozen cluster, or non-clustered host (ReplicationService.Thaw): one live member thaws
                        its driver, then the flag is cleared. Thawing a backend that is not frozen, or whose driver
                        fails to thaw, fails with FAILED_PRECONDITION (it stays frozen).""")
                .option("--cluster", "NAME", CLUSTER_HELP)
                .option("--host", "HOST", HOST_HELP)
                .runs(FailoverCommands::thaw);
    }

    private static int failover(Invocation invocation, String backendId, String word)
            throws UsageException, InterruptedException {
        Target target = Target.of(invocation);
        FailoverRequest.Builder request = FailoverRequest.newBuilder().setBackendId(backendId);
        if (target.cluster() != null) {
            request.setCluster(target.cluster());
        } else {
            request.setHost(target.host());
        }
        FailoverResponse response = invocation.replication().failover(request.build());
        Failover row = response.getFailover();
        long id = response.getFailoverId() != 0 ? response.getFailoverId() : row.getId();
        String label = kind(row, word) + " " + id;
        if (invocation.json()) {
            invocation.printJson(response);
        } else {
            String name = row.getTarget().isEmpty() ? target.name() : row.getTarget();
            String direction = response.hasFailover()
                    ? ", " + Text.backend(row.getFromBackendId()) + " -> " + Text.backend(row.getToBackendId())
                    : "";
            invocation.out().println(label + " claimed: " + name + direction);
        }
        if (!invocation.args().has("--wait")) {
            if (!invocation.json()) {
                invocation.out().println("follow it with 'tandem failover-journal show " + id + "', or use --wait");
            }
            return Tandem.OK;
        }
        return await(invocation, id, label, row);
    }

    private static int promote(Invocation invocation) throws UsageException, InterruptedException {
        Target target = Target.of(invocation);
        List<ReplicationTarget> targets = targets(invocation);
        PromoteRequest.Builder request = PromoteRequest.newBuilder().addAllTargets(targets);
        if (target.cluster() != null) {
            request.setCluster(target.cluster());
        } else {
            request.setHost(target.host());
        }
        PromoteResponse response = invocation.replication().promote(request.build());
        Failover row = response.getFailover();
        long id = response.getFailoverId() != 0 ? response.getFailoverId() : row.getId();
        String label = kind(row, "promote") + " " + id;
        if (invocation.json()) {
            invocation.printJson(response);
        } else {
            String name = row.getTarget().isEmpty() ? target.name() : row.getTarget();
            String roles = response.hasFailover()
                    ? ", " + Text.backend(row.getFromBackendId())
                            + (row.getFromBackendId().isEmpty() ? " stays" : " becomes") + " the primary"
                    : "";
            invocation.out().println(label + " claimed: " + name + roles);
            invocation.out().println("new targets: " + targetList(targets));
        }
        if (!invocation.args().has("--wait")) {
            if (!invocation.json()) {
                invocation.out().println("follow it with 'tandem failover-journal show " + id + "', or use --wait");
            }
            return Tandem.OK;
        }
        return await(invocation, id, label, row);
    }

    /**
     * The targets of {@code --target BACKEND_ID=LOCATION} (split at the first {@code =}: a backend id has none, a
     * location may), in order; none only when {@code --no-targets} says so.
     */
    static List<ReplicationTarget> targets(Invocation invocation) throws UsageException {
        List<String> given = invocation.args().all("--target");
        boolean none = invocation.args().has("--no-targets");
        if (none && !given.isEmpty()) {
            throw invocation.usageError("--no-targets and --target exclude each other");
        }
        if (!none && given.isEmpty()) {
            throw invocation.usageError("give each new replication target with --target BACKEND_ID=LOCATION, or"
                    + " --no-targets to leave the backend without replication");
        }
        List<ReplicationTarget> targets = new ArrayList<>();
        for (String text : given) {
            int equals = text.indexOf('=');
            if (equals < 0
                    || text.substring(0, equals).isBlank()
                    || text.substring(equals + 1).isBlank()) {
                throw invocation.usageError("--target: '" + text + "' is not BACKEND_ID=LOCATION");
            }
            targets.add(ReplicationTarget.newBuilder()
                    .setBackendId(text.substring(0, equals))
                    .setLocation(text.substring(equals + 1))
                    .build());
        }
        return targets;
    }

    /** {@code site-c (/srv/site-c), site-a (/srv/site-a)}, or what no targets means. */
    static String targetList(List<ReplicationTarget> targets) {
        if (targets.isEmpty()) {
            return "none (replication disabled)";
        }
        return targets.stream()
                .map(t -> t.getBackendId() + " (" + t.getLocation() + ")")
                .collect(Collectors.joining(", "));
    }

    /** Polls the journal row until a final phase, printing each phase seen; the exit status tells how it ended. */
    private static int await(Invocation invocation, long id, String label, Failover claimed)
            throws InterruptedException {
        Failover row = claimed;
        int failures = 0;
        while (!FINAL.contains(row.getPhase())) {
            invocation.sleeper().sleep(POLL_INTERVAL);
            GetFailoverResponse response;
            try {
                response = invocation
                        .replication()
                        .getFailover(GetFailoverRequest.newBuilder().setId(id).build());
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                boolean transientFailure = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
                if (!transientFailure || ++failures >= MAX_POLL_FAILURES) {
                    throw e;
                }
                if (failures == 1) {
                    invocation
                            .err()
                            .println(Errors.line(Tandem.PROGRAM, e, invocation.callee(), invocation.timeout())
                                    + " (still waiting for " + label + ")");
                }
                continue;
            }
            failures = 0;
            Failover next = response.getFailover();
            if (next.getPhase() != row.getPhase()) {
                if (invocation.json()) {
                    invocation.printJson(response);
                } else {
                    invocation.out().println(label + ": " + phaseLine(next));
                }
            }
            row = next;
        }
        return switch (row.getPhase()) {
            case FAILOVER_PHASE_COMPLETED -> Tandem.OK;
            case FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS -> FENCED;
            default -> Tandem.FAILED;
        };
    }

    /** What a phase change prints after {@code failover 42: }. */
    static String phaseLine(Failover row) {
        String phase = Text.enumValue(FailoverPhase.getDescriptor(), row.getPhaseValue());
        String duration = row.hasDuration() ? " in " + Text.duration(row.getDuration()) : "";
        return switch (row.getPhase()) {
            case FAILOVER_PHASE_PROMOTING -> phase
                    + (row.getPromoterHost().isEmpty() ? "" : " on " + row.getPromoterHost());
            case FAILOVER_PHASE_COMPLETING -> phase + ", epoch " + row.getEpoch();
            case FAILOVER_PHASE_COMPLETED -> phase + duration + ", epoch " + row.getEpoch();
            case FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS -> phase + duration + ", epoch " + row.getEpoch()
                    + "; fenced: "
                    + String.join(
                            ", ",
                            row.getMembersList().stream()
                                    .filter(FailoverMember::getFenced)
                                    .map(FailoverMember::getHost)
                                    .toList());
            case FAILOVER_PHASE_FAILED, FAILOVER_PHASE_REVERTED -> phase
                    + duration
                    + (row.getError().isEmpty() ? "" : ": " + row.getError());
            default -> phase;
        };
    }

    private static String kind(Failover row, String fallback) {
        return row.getKind() == FailoverKind.FAILOVER_KIND_UNSPECIFIED
                ? fallback
                : Text.enumValue(FailoverKind.getDescriptor(), row.getKindValue());
    }

    private static int freeze(Invocation invocation) throws UsageException {
        Target target = Target.of(invocation);
        FreezeRequest.Builder request = FreezeRequest.newBuilder();
        if (target.cluster() != null) {
            request.setCluster(target.cluster());
        } else {
            request.setHost(target.host());
        }
        FreezeResponse response = invocation.replication().freeze(request.build());
        if (invocation.json()) {
            invocation.printJson(response);
        } else {
            invocation.out().println("frozen: " + target.name());
        }
        return Tandem.OK;
    }

    private static int thaw(Invocation invocation) throws UsageException {
        Target target = Target.of(invocation);
        ThawRequest.Builder request = ThawRequest.newBuilder();
        if (target.cluster() != null) {
            request.setCluster(target.cluster());
        } else {
            request.setHost(target.host());
        }
        ThawResponse response = invocation.replication().thaw(request.build());
        if (invocation.json()) {
            invocation.printJson(response);
        } else {
            invocation.out().println("thawed: " + target.name());
        }
        return Tandem.OK;
    }
}
