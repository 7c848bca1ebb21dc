package io.tandem.scheduler;

import io.tandem.runtime.TandemApplication;

/** Entry point of scheduler-svc: places new volumes and hands their work to one live member of a cluster. */
public final class SchedulerApplication {
    private SchedulerApplication() {}

    public static void main(String[] args) {
        TandemApplication.run("tandem-scheduler", SchedulerApplication.class, args);
    }
}
