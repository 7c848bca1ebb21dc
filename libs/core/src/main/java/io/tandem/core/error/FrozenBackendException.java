package io.tandem.core.error;

/** A management operation (create, delete, extend) on a frozen cluster or service: Cinder's exact wording. */
public final class FrozenBackendException extends FailedPreconditionException {
    public static final String MESSAGE = "Modification operations are not allowed on frozen storage backends.";

    public FrozenBackendException() {
        super(MESSAGE);
    }
}
