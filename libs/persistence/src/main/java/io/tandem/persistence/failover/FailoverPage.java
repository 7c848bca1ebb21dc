package io.tandem.persistence.failover;

import java.util.List;

/**
 * One page of journal rows, newest first.
 *
 * @param nextBeforeId the id to continue below, or null when this was the last page
 */
public record FailoverPage(List<FailoverRow> rows, Long nextBeforeId) {
    public FailoverPage {
        rows = List.copyOf(rows);
    }
}
