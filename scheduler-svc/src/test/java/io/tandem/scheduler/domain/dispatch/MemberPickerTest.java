package io.tandem.scheduler.domain.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.membership.MemberInfo;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Least in-flight with a round-robin tie break, and the preference for members not tried yet. */
class MemberPickerTest {
    private final MemberPicker picker = new MemberPicker();
    private final List<MemberInfo> members = List.of(member("a"), member("b"), member("c"));

    @Test
    void anEvenClusterGetsAnEvenSpread() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            counts.merge(picker.pick(members, Set.of()).orElseThrow().host(), 1, Integer::sum);
        }
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), counts);
    }

    @Test
    void aMemberThatKeepsItsWorkGetsNoMoreUntilItAnswers() {
        for (int i = 0; i < 3; i++) {
            picker.pick(members, Set.of());
        }
        // a, b and c hold one each; b and c answer, a does not.
        picker.done("b");
        picker.done("c");
        for (int i = 0; i < 4; i++) {
            String host = picker.pick(members, Set.of()).orElseThrow().host();
            assertTrue(Set.of("b", "c").contains(host), "picked " + host + " while it is the busiest");
            picker.done(host);
        }
        assertEquals(1, picker.inFlight("a"));
    }

    @Test
    void membersAlreadyTriedComeLastAndAreTheFallback() {
        assertEquals("c", picker.pick(members, Set.of("a", "b")).orElseThrow().host());
        assertTrue(Set.of("a", "b", "c")
                .contains(picker.pick(members, Set.of("a", "b", "c"))
                        .orElseThrow()
                        .host()));
        assertTrue(picker.pick(List.of(), Set.of()).isEmpty());
    }

    private static MemberInfo member(String host) {
        return new MemberInfo(host, "c@fs", "fs", "127.0.0.1:1", null, 0, Instant.EPOCH);
    }
}
