package io.tandem.core;

import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of Tandem service. {@link #stored()} is the value in {@code services.binary_name} and etcd keys; {@link
 * #cinderName()} is what the REST facade shows, so that Cinder's clients recognise the services.
 */
public enum ServiceBinary {
    VOLUME("volume", "cinder-volume"),
    SCHEDULER("scheduler", "cinder-scheduler"),
    REPLICATION("replication", "tandem-replication"),
    API("api", "tandem-api");

    private final String stored;
    private final String cinderName;

    ServiceBinary(String stored, String cinderName) {
        this.stored = stored;
        this.cinderName = cinderName;
    }

    public String stored() {
        return stored;
    }

    public String cinderName() {
        return cinderName;
    }

    /** Accepts either spelling ({@code volume} or {@code cinder-volume}). */
    public static Optional<ServiceBinary> parse(String name) {
        return Arrays.stream(values())
                .filter(b -> b.stored.equals(name) || b.cinderName.equals(name))
                .findFirst();
    }
}
