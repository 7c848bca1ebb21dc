package io.tandem.driver.memory;

import java.util.Arrays;
import java.util.Optional;

/** The driver calls that {@link Faults} can slow down, fail, hang and count; {@link #key()} names them in options. */
public enum Operation {
    SETUP("setup"),
    CREATE("create"),
    DELETE("delete"),
    EXTEND("extend"),
    INITIALIZE_CONNECTION("initialize-connection"),
    CAPACITY("capacity"),
    FAILOVER("failover"),
    FAILOVER_COMPLETED("failover-completed"),
    FREEZE("freeze"),
    THAW("thaw"),
    REPLICATE("replicate"),
    UPDATE_HOST_REPLICATION("update-host-replication"),
    RECONFIGURE("reconfigure");

    private final String key;

    Operation(String key) {
        this.key = key;
    }

    /** The operation's name in option keys, e.g. {@code initialize-connection} in {@code delay.initialize-connection}. */
    public String key() {
        return key;
    }

    /** The operation named {@code key} in options, if any. */
    public static Optional<Operation> fromKey(String key) {
        return Arrays.stream(values()).filter(op -> op.key.equals(key)).findFirst();
    }
}
