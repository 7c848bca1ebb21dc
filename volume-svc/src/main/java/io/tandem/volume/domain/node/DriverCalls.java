package io.tandem.volume.domain.node;

import io.tandem.core.error.TandemException;
import io.tandem.driver.DriverException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a driver call whose failure fails the RPC (failover, failoverCompleted, freeze, thaw), so that the caller
 * always sees the driver's own message as INTERNAL ({@link DriverException} is a Tandem exception the interceptor maps
 * to INTERNAL with its message and nothing else). The SPI allows only DriverException; anything else is a driver bug,
 * logged here with its stack trace and still reported with its message rather than as an anonymous internal error.
 */
public final class DriverCalls {
    private static final Logger LOG = LoggerFactory.getLogger(DriverCalls.class);

    private DriverCalls() {}

    /** The driver's answer to {@code call}; {@code what} names the call for messages ("failover to site-b"). */
    public static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (TandemException e) {
            LOG.warn("Driver failed: {}: {}", what, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            LOG.error("Driver bug during {}", what, e);
            throw new DriverException("The driver failed during " + what + ": " + e, e);
        }
    }

    /** {@link #call} for a call without an answer. */
    public static void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }
}
