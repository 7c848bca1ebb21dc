package io.tandem.scheduler.domain.placement;

import io.tandem.membership.CapacityStats;
import io.tandem.membership.MemberInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Cinder's filter scheduler over Tandem's targets, as a pure decision on a {@link TargetView} per target: the filters
 * (enabled, not frozen, not failing over or updating, a live member serving the current epoch, enough free capacity)
 * each give a reason when they exclude a target, and the weigher takes the most free capacity. Free capacity is the
 * freshest published stats minus what this scheduler placed since ({@link CapacityLedger}); choosing and recording
 * happen under one lock, so concurrent creates see each other's placements.
 */
public final class Placement {
    /** Cinder's message for a create that fits nowhere; the reasons per target follow it. */
    public static final String NO_VALID_BACKEND = "No valid backend was found.";

    static final long GIB = 1L << 30;

    private final CapacityLedger ledger;

    /** The outcome of a placement. */
    public sealed interface Decision permits Chosen, NoValidBackend {}

    /**
     * The chosen target, with its members serving the current epoch (at least one) and the capacity recorded for
     * this placement, to be released when the volume is not written after all.
     */
    public record Chosen(Target target, List<MemberInfo> serving, long freeBytes, CapacityLedger.Placed placed)
            implements Decision {}

    /** No target fits; {@code reason} is the volume's status_reason. */
    public record NoValidBackend(String reason) implements Decision {}

    public Placement(CapacityLedger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /** Places {@code sizeGb} GiB on the target with the most free capacity among those that pass every filter. */
    public synchronized Decision place(List<TargetView> views, int sizeGb) {
        long bytes = sizeGb * GIB;
        List<String> exclusions = new ArrayList<>();
        TargetView best = null;
        long bestFree = Long.MIN_VALUE;
        List<TargetView> ordered = new ArrayList<>(views);
        ordered.sort(Comparator.comparing(v -> v.target().name()));
        for (TargetView view : ordered) {
            Optional<String> excluded = exclusion(view, bytes);
            if (excluded.isPresent()) {
                exclusions.add(view.target().name() + ": " + excluded.get());
                continue;
            }
            long free = freeBytes(view).orElseThrow();
            if (free > bestFree) {
                best = view;
                bestFree = free;
            }
        }
        if (best == null) {
            return new NoValidBackend(noValidBackend(exclusions));
        }
        CapacityLedger.Placed placed = ledger.record(best.target().name(), bytes);
        return new Chosen(best.target(), best.serving(), bestFree, placed);
    }

    /**
     * Reserves {@code extraGb} more GiB on {@code view}'s target (an extend), or says why it does not fit. Targets
     * without published stats are not refused here: the member's driver is the final judge.
     */
    public synchronized Reservation reserve(TargetView view, int extraGb) {
        long bytes = extraGb * GIB;
        Optional<Long> free = freeBytes(view);
        if (free.isPresent() && free.get() < bytes) {
            return new Reservation(null, notEnough(free.get(), bytes));
        }
        return new Reservation(ledger.record(view.target().name(), bytes), null);
    }

    /** An extend's capacity: {@code placed} when it fits, else {@code refusal} says why. */
    public record Reservation(CapacityLedger.Placed placed, String refusal) {}

    /** The first filter that excludes the target, as a reason for the error message; empty when it passes all. */
    Optional<String> exclusion(TargetView view, long bytes) {
        Target target = view.target();
        if (target.disabled()) {
            String why = target.disabledReason();
            return Optional.of(why == null || why.isBlank() ? "disabled" : "disabled (" + why + ")");
        }
        if (target.frozen()) {
            return Optional.of("frozen");
        }
        if (target.busyReason().isPresent()) {
            return target.busyReason();
        }
        if (view.serving().isEmpty()) {
            return Optional.of(noServingMember(view));
        }
        Optional<Long> free = freeBytes(view);
        if (free.isEmpty()) {
            return Optional.of("no capacity stats published by its live members");
        }
        if (free.get() < bytes) {
            return Optional.of(notEnough(free.get(), bytes));
        }
        return Optional.empty();
    }

    private Optional<Long> freeBytes(TargetView view) {
        Optional<CapacityStats> stats = view.freshestStats();
        return stats.map(s -> s.freeBytes() - ledger.placedSince(view.target().name(), s.updatedAt()));
    }

    private static String noServingMember(TargetView view) {
        String reason = "no live member serving epoch " + view.target().epoch();
        if (view.live().isEmpty()) {
            return reason;
        }
        String stale =
                view.live().stream().map(m -> m.host() + " serves " + m.epoch()).collect(Collectors.joining(", "));
        return reason + " (stale: " + stale + ")";
    }

    private static String notEnough(long freeBytes, long requestedBytes) {
        return String.format(
                Locale.ROOT,
                "not enough free capacity (free %.1f GiB, requested %d GiB)",
                Math.max(0, freeBytes) / (double) GIB,
                requestedBytes / GIB);
    }

    private static String noValidBackend(List<String> exclusions) {
        if (exclusions.isEmpty()) {
            return NO_VALID_BACKEND + " No volume backend is registered.";
        }
        return NO_VALID_BACKEND + " " + String.join("; ", exclusions);
    }
}
