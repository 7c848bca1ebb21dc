package io.tandem.volume.domain.lifecycle;

import java.util.Arrays;
import java.util.Optional;

/**
 * The state transitions of the volume lifecycle as one table (docs/volume-protocol.md): for each cleanable operation,
 * the status the scheduler moved the volume to (also the status its workers row records), where the node moves it when
 * the driver succeeds or fails, and what a cleaner does with the row of a node that died holding it. Nothing else in
 * volume-svc names these statuses.
 *
 * <pre>
 * operation  working     success          failure          crash cleanup (row of a dead node)
 * CREATE     creating    available        error            FAIL: creating → error ("node … died while creating")
 * DELETE     deleting    (row deleted)    error_deleting   RUN_AGAIN: delete again (idempotent driver)
 * EXTEND     extending   available        error_extending  FAIL: extending → error_extending (size unchanged)
 * </pre>
 */
public enum VolumeOperation {
    CREATE("creating", "available", "error", CleanupAction.FAIL, "create"),
    DELETE("deleting", null, "error_deleting", CleanupAction.RUN_AGAIN, "delete"),
    EXTEND("extending", "available", "error_extending", CleanupAction.FAIL, "extend");

    /** What a cleaner does with a dead node's workers row for the operation. */
    public enum CleanupAction {
        /** Move the volume to the failure status with a reason; the driver is not called. */
        FAIL,
        /** Run the operation again; the driver is idempotent, so a repeat is safe. */
        RUN_AGAIN
    }

    private final String workingStatus;
    private final String successStatus;
    private final String failureStatus;
    private final CleanupAction cleanup;
    private final String verb;

    VolumeOperation(
            String workingStatus, String successStatus, String failureStatus, CleanupAction cleanup, String verb) {
        this.workingStatus = workingStatus;
        this.successStatus = successStatus;
        this.failureStatus = failureStatus;
        this.cleanup = cleanup;
        this.verb = verb;
    }

    /** The operation whose workers rows record {@code status} ({@code creating} → CREATE), if any. */
    public static Optional<VolumeOperation> ofWorkingStatus(String status) {
        return Arrays.stream(values())
                .filter(op -> op.workingStatus.equals(status))
                .findFirst();
    }

    /** The status the volume must be in for the node to run the operation, and the status of its workers row. */
    public String workingStatus() {
        return workingStatus;
    }

    /** The status after the driver succeeded; null when success deletes the volume row. */
    public String successStatus() {
        return successStatus;
    }

    /** True when success deletes the volume row rather than changing its status. */
    public boolean successRemovesRow() {
        return successStatus == null;
    }

    /** The status after the driver failed. */
    public String failureStatus() {
        return failureStatus;
    }

    public CleanupAction cleanup() {
        return cleanup;
    }

    /** The operation as a verb for messages: {@code create}, {@code delete}, {@code extend}. */
    public String verb() {
        return verb;
    }
}
