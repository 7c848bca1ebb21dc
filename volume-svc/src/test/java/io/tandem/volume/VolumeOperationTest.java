package io.tandem.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.volume.domain.lifecycle.VolumeOperation;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The transition table reads as docs/volume-protocol.md writes it. */
class VolumeOperationTest {
    @Test
    void theTableIsTheProtocolsTable() {
        assertEquals(
                "CREATE creating available error FAIL | DELETE deleting - error_deleting RUN_AGAIN"
                        + " | EXTEND extending available error_extending FAIL",
                String.join(
                        " | ",
                        Arrays.stream(VolumeOperation.values())
                                .map(op -> op + " " + op.workingStatus() + " "
                                        + (op.successRemovesRow() ? "-" : op.successStatus()) + " " + op.failureStatus()
                                        + " "
                                        + op.cleanup())
                                .toList()));
    }

    @Test
    void workersRowsNameTheirOperationByStatus() {
        for (VolumeOperation op : VolumeOperation.values()) {
            assertEquals(Optional.of(op), VolumeOperation.ofWorkingStatus(op.workingStatus()));
        }
        assertTrue(VolumeOperation.ofWorkingStatus("available").isEmpty());
    }
}
