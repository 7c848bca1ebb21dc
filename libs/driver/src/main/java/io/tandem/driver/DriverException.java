package io.tandem.driver;

import io.tandem.core.error.TandemException;

/**
 * A storage operation failed. The message is for operators (it names the volume, the site and what went wrong); the
 * node records the failure in the volume's status ({@code error}, {@code error_deleting}, …) rather than failing the
 * control plane.
 */
public class DriverException extends TandemException {
    public DriverException(String message) {
        super(message);
    }

    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
