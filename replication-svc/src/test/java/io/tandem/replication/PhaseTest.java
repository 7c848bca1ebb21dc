package io.tandem.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.persistence.failover.FailoverRepository;
import io.tandem.replication.domain.failover.Phase;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The coordinator's phases end exactly where the journal finishes a row. */
class PhaseTest {
    @Test
    void theTerminalPhasesAreTheJournalsFinalPhasesAndOnlyTheyHaveNoSuccessor() {
        Set<String> terminal = Arrays.stream(Phase.values())
                .filter(Phase::terminal)
                .map(Phase::stored)
                .collect(Collectors.toSet());
        assertEquals(Set.copyOf(FailoverRepository.FINAL_PHASES), terminal);
        for (Phase phase : Phase.values()) {
            assertEquals(phase.terminal(), phase.successors().isEmpty(), phase.stored());
        }
        assertTrue(FailoverRepository.FINAL_PHASES.stream().map(Phase::of).allMatch(Phase::terminal));
    }
}
