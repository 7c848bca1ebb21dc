package io.tandem.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.core.error.UnavailableException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** What an operator reads when a service cannot start: one line, the most useful one. */
class TandemApplicationTest {

    @Test
    void aTandemExceptionAnywhereInTheChainIsTheLine() {
        Throwable failure = new IllegalStateException(
                "Error instantiating bean",
                new RuntimeException(
                        "wrapped", new UnavailableException("PostgreSQL at 127.0.0.1:1 is unreachable after 2 s")));
        assertEquals("PostgreSQL at 127.0.0.1:1 is unreachable after 2 s", TandemApplication.describe(failure));
    }

    @Test
    void otherwiseTheFirstLineOfTheInnermostCause() {
        Throwable failure = new IllegalStateException(
                "outer", new ConnectException("Connection refused\n\tat somewhere.Deep(Deep.java:1)"));
        assertEquals("failed to start: Connection refused", TandemApplication.describe(failure));
    }
}
