package io.tandem.api.tandem;

import io.tandem.api.views.RestValues;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverMember;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON shapes of the failover journal routes (docs/openapi.yaml, schemas Failover and FailoverMember). */
final class FailoverViews {
    private FailoverViews() {}

    /** {@code {"failovers": [...]}}, plus {@code failovers_links} with the next page when more rows remain. */
    static Map<String, Object> list(List<Failover> failovers, String nextHref) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("failovers", failovers.stream().map(FailoverViews::failover).toList());
        if (nextHref != null) {
            view.put("failovers_links", List.of(Map.of("rel", "next", "href", nextHref)));
        }
        return view;
    }

    /** {@code {"failover": {...}}}. */
    static Map<String, Object> show(Failover failover) {
        return Map.of("failover", failover(failover));
    }

    static Map<String, Object> failover(Failover failover) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", failover.getId());
        view.put("kind", word(failover.getKind(), "FAILOVER_KIND_"));
        view.put("scope", word(failover.getScope(), "TARGET_SCOPE_"));
        view.put("target", failover.getTarget());
        view.put("from_backend_id", RestValues.text(failover.getFromBackendId()));
        view.put("to_backend_id", RestValues.text(failover.getToBackendId()));
        view.put("epoch", failover.getEpoch());
        view.put("phase", word(failover.getPhase(), "FAILOVER_PHASE_"));
        view.put("owner", RestValues.text(failover.getOwner()));
        view.put("requested_by", failover.getRequestedBy());
        view.put("request_id", failover.getRequestId());
        view.put("claimed_at", RestValues.time(failover.getClaimedAt()));
        view.put("promoted_at", RestValues.time(failover.getPromotedAt()));
        view.put("committed_at", RestValues.time(failover.getCommittedAt()));
        view.put("completed_at", RestValues.time(failover.getCompletedAt()));
        view.put(
                "duration_ms",
                failover.hasDuration()
                        ? failover.getDuration().getSeconds() * 1000
                                + failover.getDuration().getNanos() / 1_000_000
                        : null);
        view.put("error", RestValues.text(failover.getError()));
        view.put(
                "members",
                failover.getMembersList().stream().map(FailoverViews::member).toList());
        view.put("new_targets", failover.getKind() == FailoverKind.FAILOVER_KIND_PROMOTE ? targets(failover) : null);
        return view;
    }

    /** A promote's new targets as the request named them. */
    private static List<Map<String, Object>> targets(Failover failover) {
        return failover.getNewTargetsList().stream()
                .map(t -> Map.<String, Object>of("backend_id", t.getBackendId(), "location", t.getLocation()))
                .toList();
    }

    private static Map<String, Object> member(FailoverMember member) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("host", member.getHost());
        view.put("acked_epoch", member.getAckedEpoch());
        view.put("acked_at", RestValues.time(member.getAckedAt()));
        view.put("attempts", member.getAttempts());
        view.put("error", RestValues.text(member.getError()));
        view.put("fenced", member.getFenced());
        return view;
    }

    /**
     * An enum value in its REST spelling: the name after {@code prefix}, lower-case, {@code -} for {@code _}
     * ({@code FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS} → {@code completed-with-fenced-members}); unset, or a value
     * newer than this build, is null.
     */
    private static String word(Enum<?> value, String prefix) {
        String name = value.name();
        if (!name.startsWith(prefix) || name.endsWith("_UNSPECIFIED")) {
            return null;
        }
        return name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
