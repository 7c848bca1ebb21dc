package io.tandem.manage;

/** The exit statuses of {@code tandem-manage}, as its {@code --help} documents them. */
public final class ExitStatus {
    /** Done; or a dry run that would go ahead. */
    public static final int DONE = 0;
    /** A precondition failed (or a concurrent change was detected): nothing was changed. */
    public static final int REFUSED = 1;
    /** The command line is wrong. */
    public static final int USAGE = 2;
    /** A dependency (PostgreSQL, etcd) failed or could not be reached. */
    public static final int DEPENDENCY = 3;

    private ExitStatus() {}
}
