package io.tandem.scheduler.domain.volumes;

import io.tandem.core.error.InvalidArgumentException;
import java.util.UUID;

/**
 * A validated create request.
 *
 * @param volumeId the client's idempotency key, or null when the scheduler picks the id
 * @param userId may be null
 * @param name may be null
 * @param description may be null
 */
public record CreateVolumeCommand(
        UUID volumeId, String projectId, String userId, String name, String description, int sizeGb) {
    /** Cinder's limit on name and description (its database columns are VARCHAR(255)). */
    public static final int MAX_TEXT = 255;

    public CreateVolumeCommand {
        if (projectId == null || projectId.isBlank()) {
            throw new InvalidArgumentException("project_id is required");
        }
        if (sizeGb < 1) {
            throw new InvalidArgumentException("size_gb must be a positive number of GiB, was " + sizeGb);
        }
        checkLength("name", name);
        checkLength("description", description);
        checkLength("user_id", userId);
        checkLength("project_id", projectId);
    }

    private static void checkLength(String field, String value) {
        if (value != null && value.codePointCount(0, value.length()) > MAX_TEXT) {
            throw new InvalidArgumentException(field + " must be at most " + MAX_TEXT + " characters, was "
                    + value.codePointCount(0, value.length()));
        }
    }

    /** True when {@code projectId} and {@code sizeGb} match: a repeat of the same request, not a collision. */
    public boolean repeats(String existingProjectId, int existingSizeGb) {
        return projectId.equals(existingProjectId) && sizeGb == existingSizeGb;
    }
}
