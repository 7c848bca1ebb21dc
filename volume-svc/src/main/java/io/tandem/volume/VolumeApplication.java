package io.tandem.volume;

import io.tandem.runtime.TandemApplication;

/** Entry point of volume-svc: one process per node; runs the storage driver for its backend. */
public final class VolumeApplication {
    private VolumeApplication() {}

    public static void main(String[] args) {
        TandemApplication.run("tandem-volume", VolumeApplication.class, args);
    }
}
