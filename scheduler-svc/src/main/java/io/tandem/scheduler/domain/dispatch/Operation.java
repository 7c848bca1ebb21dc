package io.tandem.scheduler.domain.dispatch;

/** The cleanable volume operations the scheduler hands to members; each holds a workers row while it runs. */
public enum Operation {
    CREATE("creating"),
    DELETE("deleting"),
    EXTEND("extending");

    private final String status;

    Operation(String status) {
        this.status = status;
    }

    /** The volume status (and workers.status) of the running operation. */
    public String status() {
        return status;
    }

    /** For logs: "create", "delete", "extend". */
    public String verb() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
