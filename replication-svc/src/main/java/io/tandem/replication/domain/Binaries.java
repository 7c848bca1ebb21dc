package io.tandem.replication.domain;

import io.tandem.core.ServiceBinary;
import java.util.Optional;

/**
 * Binary names as requests give them: the stored name ({@code volume}) or Cinder's ({@code cinder-volume}), which
 * api-svc and Cinder's clients send. Everything below the endpoints works with the stored name only.
 */
public final class Binaries {
    /** Stored name of volume nodes. */
    public static final String VOLUME = ServiceBinary.VOLUME.stored();
    /** Stored name of schedulers. */
    public static final String SCHEDULER = ServiceBinary.SCHEDULER.stored();

    private Binaries() {}

    /** The stored name for either spelling, or empty when no Tandem service has that binary. */
    public static Optional<String> stored(String given) {
        return ServiceBinary.parse(given).map(ServiceBinary::stored);
    }

    /**
     * The stored name for either spelling; an unknown name is kept as given, so that a filter on it matches nothing
     * (Cinder answers an unknown binary in a filter with an empty list, not an error).
     */
    public static String storedOrAsGiven(String given) {
        return stored(given).orElse(given);
    }
}
