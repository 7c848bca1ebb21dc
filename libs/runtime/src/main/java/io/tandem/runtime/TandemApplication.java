package io.tandem.runtime;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import io.tandem.core.error.TandemException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Tandem service. A failure at start (a dependency unreachable after the configured retries, a bad setting)
 * ends the process with exit code 1 and one line on standard error naming what failed, instead of a wall of stack
 * traces; the full trace goes to the log at DEBUG for whoever needs it.
 */
public final class TandemApplication {
    private static final Logger LOG = LoggerFactory.getLogger(TandemApplication.class);

    private TandemApplication() {}

    /** Starts the context and its server, then blocks until the JVM is asked to stop. */
    public static void run(String name, Class<?> mainClass, String... args) {
        ApplicationContext context = start(name, mainClass, args);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            // Closing the context revokes this process's etcd lease, so peers see it leave at once, not
                            // after a TTL.
                            context.close();
                            stopped.countDown();
                        },
                        name + "-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the context and its embedded server, or exits the process with one line on failure. */
    public static ApplicationContext start(String name, Class<?> mainClass, String... args) {
        ApplicationContext context = null;
        try {
            context = ApplicationContext.builder()
                    .args(args)
                    .mainClass(mainClass)
                    .banner(false)
                    .deduceEnvironment(false)
                    .start();
            context.findBean(EmbeddedApplication.class).ifPresent(EmbeddedApplication::start);
            return context;
        } catch (RuntimeException | Error e) {
            System.err.println(name + ": " + describe(e));
            LOG.debug("Start-up failure", e);
            if (context != null && context.isRunning()) {
                closeQuietly(context);
            }
            System.exit(1);
            throw e;
        }
    }

    /**
     * Closes a context whose start failed. Closing publishes the shutdown event, whose listeners may need the very bean
     * that failed (etcd unreachable, say) and fail again; that second failure is the same one and was reported.
     */
    private static void closeQuietly(ApplicationContext context) {
        try {
            context.close();
        } catch (RuntimeException | Error e) {
            LOG.debug("Closing after the start-up failure failed too", e);
        }
    }

    /**
     * One line for a start-up failure: the message of the first Tandem exception in the cause chain (these name the
     * endpoint and the condition), else the innermost cause.
     */
    static String describe(Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TandemException) {
                return t.getMessage();
            }
            root = t;
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "failed to start: " + message.lines().findFirst().orElse(message);
    }
}
