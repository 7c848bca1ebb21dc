package io.tandem.scheduler.domain.placement;

import io.tandem.membership.CapacityStats;
import io.tandem.membership.MemberInfo;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;

/**
 * Gathers what a placement needs, from where it lives: targets from PostgreSQL (read fresh: frozen and disabled must
 * count at once), members from the watched {@link MemberDirectory}, stats from the {@link StatsCache}; then lets the
 * pure {@link Placement} decide.
 */
public final class Placer {
    private final TargetRows targets;
    private final MemberDirectory directory;
    private final StatsCache stats;
    private final Placement placement;

    public Placer(TargetRows targets, MemberDirectory directory, StatsCache stats, Placement placement) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.placement = Objects.requireNonNull(placement, "placement");
    }

    /** Places a new volume of {@code sizeGb} GiB (see {@link Placement#place}). */
    public Placement.Decision place(int sizeGb) {
        return placement.place(views(targets.candidates()), sizeGb);
    }

    /** The current view of one target (its members and stats), e.g. for an extend or a delete. */
    public TargetView view(Target target) {
        return views(List.of(target)).get(0);
    }

    /** The live members of {@code target} serving its current epoch. */
    public List<MemberInfo> serving(Target target) {
        return directory.serving(target);
    }

    /** Reserves capacity for an extend (see {@link Placement#reserve}). */
    public Placement.Reservation reserve(TargetView view, int extraGb) {
        return placement.reserve(view, extraGb);
    }

    private List<TargetView> views(List<Target> candidates) {
        Set<String> segments = new LinkedHashSet<>();
        for (Target target : candidates) {
            segments.add(target.clusterName());
        }
        // Members first: their first read per target also starts its watch. Stats of every target in parallel.
        List<List<MemberInfo>> live = new ArrayList<>();
        for (Target target : candidates) {
            live.add(directory.live(target));
        }
        Map<String, SortedMap<String, CapacityStats>> published = stats.read(segments);
        List<TargetView> views = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Target target = candidates.get(i);
            views.add(new TargetView(target, live.get(i), published.get(target.clusterName())));
        }
        return views;
    }
}
