package io.tandem.manage;

/**
 * A precondition of a repair does not hold, or the rows changed under it: nothing was changed (exit status
 * {@value ExitStatus#REFUSED}). The message is the one line the operator reads; it names the scope and what to do.
 */
public final class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
        super(message, null, false, false);
    }
}
