package io.tandem.cli;

import com.google.protobuf.Timestamp;
import io.tandem.commandline.Command;
import io.tandem.commandline.CommandGroup;
import io.tandem.commandline.UsageException;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.GetFailoverResponse;
import io.tandem.proto.v1.ListFailoversRequest;
import io.tandem.proto.v1.ListFailoversResponse;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.TargetScope;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code tandem failover-journal list|show}: ReplicationService.ListFailovers and GetFailover. */
final class JournalCommands {
    /** Rows {@code list} shows unless {@code --limit} says otherwise. */
    static final int DEFAULT_LIMIT = 50;
    /** The largest page ListFailovers serves. */
    static final int MAX_PAGE = 500;

    private JournalCommands() {}

    static CommandGroup group() {
        return CommandGroup.of(
                "failover-journal",
                "the failover journal",
                """
                The failover journal: one durable row per failover, failback or promote, with its phases and every
                member's acknowledgement.""",
                Command.named("list")
                        .summary("list journal rows, newest first")
                        .synopsis("[--target T] [--unfinished] [--limit N]")
                        .description(
                                """
                                Lists failover journal rows (ReplicationService.ListFailovers), newest first: kind,
                                target, from and to which backend, phase, the epoch committed, when claimed and how
                                long it took (unfinished rows have no duration yet).""")
                        .option("--target", "T", "only rows of this cluster or host name")
                        .flag("--unfinished", "only rows not yet final (claimed, draining, promoting, completing)")
                        .option("--limit", "N", "at most N rows (default " + DEFAULT_LIMIT + "; 0 = all)")
                        .runs(JournalCommands::list),
                Command.named("show")
                        .summary("show one journal row: phases, duration, per-member acknowledgements")
                        .synopsis("ID")
                        .description(
                                """
                                Shows one failover journal row (ReplicationService.GetFailover): what it does, its
                                phase, the time of each phase, its duration, and each member's acknowledgement of the
                                new epoch (acked epoch and time, attempts, last error, fenced).""")
                        .argument("ID", "journal id, as 'tandem failover' printed it")
                        .runs(JournalCommands::show));
    }

    private static int list(Invocation invocation) throws UsageException {
        int limit = DEFAULT_LIMIT;
        if (invocation.args().value("--limit").isPresent()) {
            String text = invocation.args().value("--limit").get();
            try {
                limit = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0) {
                throw invocation.usageError("--limit: '" + text + "' is not a number of rows (0 = all)");
            }
        }
        ListFailoversRequest.Builder request = ListFailoversRequest.newBuilder()
                .setUnfinishedOnly(invocation.args().has("--unfinished"));
        invocation.args().value("--target").ifPresent(request::setTarget);

        List<Failover> rows = new ArrayList<>();
        String token = "";
        do {
            int want = limit == 0 ? MAX_PAGE : Math.min(MAX_PAGE, limit - rows.size());
            ListFailoversResponse page = invocation
                    .replication()
                    .listFailovers(request.setPageSize(want).setPageToken(token).build());
            rows.addAll(page.getFailoversList());
            token = page.getNextPageToken();
            if (page.getFailoversCount() == 0) {
                break;
            }
        } while (!token.isEmpty() && (limit == 0 || rows.size() < limit));
        if (limit > 0 && rows.size() > limit) {
            rows = rows.subList(0, limit);
        }

        if (invocation.json()) {
            invocation.printJson(ListFailoversResponse.newBuilder()
                    .addAllFailovers(rows)
                    .setNextPageToken(token)
                    .build());
            return Tandem.OK;
        }
        table(rows).print(invocation.out());
        if (!token.isEmpty()) {
            invocation.out().println("(the newest " + rows.size() + " rows; --limit 0 lists them all)");
        }
        return Tandem.OK;
    }

    private static int show(Invocation invocation) throws UsageException {
        String text = invocation.args().argument("ID");
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            id = 0;
        }
        if (id <= 0) {
            throw invocation.usageError("ID: '" + text + "' is not a journal id (a positive number)");
        }
        GetFailoverResponse response = invocation
                .replication()
                .getFailover(GetFailoverRequest.newBuilder().setId(id).build());
        if (invocation.json()) {
            invocation.printJson(response);
        } else {
            print(response.getFailover(), invocation.out());
        }
        return Tandem.OK;
    }

    static Table table(List<Failover> rows) {
        Table table =
                Table.of("ID", "KIND", "TARGET", "FROM", "TO", "PHASE", "EPOCH", "CLAIMED", "DURATION", "REQUESTED-BY");
        for (Failover f : rows) {
            table.row(
                    Long.toString(f.getId()),
                    Text.enumValue(FailoverKind.getDescriptor(), f.getKindValue()),
                    f.getTarget(),
                    Text.backend(f.getFromBackendId()),
                    Text.backend(f.getToBackendId()),
                    Text.enumValue(FailoverPhase.getDescriptor(), f.getPhaseValue()),
                    Text.positive(f.getEpoch()),
                    Text.time(f.getClaimedAt()),
                    f.hasDuration() ? Text.duration(f.getDuration()) : Text.NONE,
                    Text.orNone(f.getRequestedBy()));
        }
        return table;
    }

    static void print(Failover f, PrintStream out) {
        Table.headless()
                .row("id:", Long.toString(f.getId()))
                .row("kind:", Text.enumValue(FailoverKind.getDescriptor(), f.getKindValue()))
                .row(
                        "target:",
                        f.getTarget() + " (" + Text.enumValue(TargetScope.getDescriptor(), f.getScopeValue()) + ")")
                .row("from backend:", Text.backend(f.getFromBackendId()))
                .row("to backend:", Text.backend(f.getToBackendId()))
                .row("phase:", Text.enumValue(FailoverPhase.getDescriptor(), f.getPhaseValue()))
                .row("epoch:", Text.positive(f.getEpoch()))
                .row("duration:", f.hasDuration() ? Text.duration(f.getDuration()) : Text.NONE)
                .row("promoter:", Text.orNone(f.getPromoterHost()))
                .row("owner:", Text.orNone(f.getOwner()))
                .row("requested by:", Text.orNone(f.getRequestedBy()))
                .row("request id:", Text.orNone(f.getRequestId()))
                .row("error:", Text.orNone(f.getError()))
                .print(out);

        out.println();
        out.println("phases:");
        Timestamp claimed = f.getClaimedAt();
        Table.headless()
                .row("claimed", Text.preciseTime(claimed), "")
                .row("promoted", Text.preciseTime(f.getPromotedAt()), since(claimed, f.getPromotedAt()))
                .row("committed", Text.preciseTime(f.getCommittedAt()), since(claimed, f.getCommittedAt()))
                .row("completed", Text.preciseTime(f.getCompletedAt()), since(claimed, f.getCompletedAt()))
                .indented("  ")
                .print(out);

        out.println();
        if (f.getMembersCount() == 0) {
            out.println("members: none yet (acknowledgements start in phase completing)");
        } else {
            out.println("members:");
            Table members = Table.of("HOST", "ACKED-EPOCH", "ACKED-AT", "ATTEMPTS", "FENCED", "ERROR");
            for (FailoverMember m : f.getMembersList()) {
                members.row(
                        m.getHost(),
                        Text.positive(m.getAckedEpoch()),
                        Text.preciseTime(m.getAckedAt()),
                        Integer.toString(m.getAttempts()),
                        Text.yesNo(m.getFenced()),
                        Text.orNone(m.getError()));
            }
            members.indented("  ").print(out);
        }

        if (f.getKind() == FailoverKind.FAILOVER_KIND_PROMOTE) {
            out.println();
            out.println("new targets:");
            Table targets = Table.of("BACKEND-ID", "LOCATION");
            for (ReplicationTarget t : f.getNewTargetsList()) {
                targets.row(t.getBackendId(), t.getLocation());
            }
            targets.indented("  ").print(out);
        }
    }

    private static String since(Timestamp claimed, Timestamp at) {
        String between = Text.between(claimed, at);
        return between.equals(Text.NONE) ? "" : "+" + between;
    }
}
