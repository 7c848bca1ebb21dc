package io.tandem.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A private etcd server for tests: the real {@code etcd} binary (Debian's {@code etcd-server}, installed by {@code make
 * test}) on free loopback ports with its own data directory. {@link #shared()} is one server per test JVM, stopped at
 * exit; tests that stop or restart etcd take their own from {@link #start()} and close it.
 */
public final class TestEtcd implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Object LOCK = new Object();
    private static TestEtcd shared;

    private final Path dataDir;
    private int clientPort;
    private int peerPort;
    private Process process;

    private TestEtcd(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The JVM-wide etcd, started on first use. Tests sharing it use key prefixes of their own. */
    public static TestEtcd shared() {
        synchronized (LOCK) {
            if (shared == null) {
                shared = start();
                Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-etcd-stop"));
            }
            return shared;
        }
    }

    /** Starts a new private etcd; the caller closes it. */
    public static TestEtcd start() {
        try {
            TestEtcd etcd = new TestEtcd(Files.createTempDirectory("tandem-test-etcd"));
            etcd.startOnFreePorts();
            return etcd;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a data directory for the test etcd", e);
        }
    }

    /** The client URL, {@code http://127.0.0.1:PORT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    /** Kills etcd (SIGKILL, as a crash would) but keeps its data directory and ports for {@link #restart()}. */
    public synchronized void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts etcd again on the same ports with the same data: leases and keys survive, as in a real restart. */
    public synchronized void restart() {
        stop();
        launch();
        awaitHealthy();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Leftovers in the temp directory do not affect other runs: every run gets a new directory.
        }
    }

    private synchronized void startOnFreePorts() {
        IllegalStateException last = null;
        // A free port can be taken by someone else between our probe and etcd's bind: try fresh ports again.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            clientPort = freePort();
            peerPort = freePort();
            try {
                launch();
                awaitHealthy();
                return;
            } catch (IllegalStateException e) {
                stop();
                last = e;
            }
        }
        throw last;
    }

    private void launch() {
        Path data = dataDir.resolve("data");
        String client = endpoint();
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = List.of(
                etcdBinary(),
                "--name=test",
                "--data-dir=" + data,
                "--listen-client-urls=" + client,
                "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=test=" + peer,
                "--logger=zap",
                "--log-level=warn");
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dataDir.resolve("etcd.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start etcd: " + e.getMessage(), e);
        }
    }

    private void awaitHealthy() {
        long end = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() - end < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "etcd exited with " + process.exitValue() + " at start; see " + dataDir.resolve("etcd.log"));
            }
            if (healthy()) {
                return;
            }
            // The poll interval of this deadline loop; the process check above ends it early if etcd dies.
            LockSupport.parkNanos(POLL.toNanos());
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for etcd");
            }
        }
        throw new IllegalStateException("etcd at " + endpoint() + " not healthy after " + START_DEADLINE);
    }

    private boolean healthy() {
        try {
            HttpURLConnection c = (HttpURLConnection)
                    URI.create(endpoint() + "/health").toURL().openConnection();
            c.setConnectTimeout(200);
            c.setReadTimeout(500);
            try {
                return c.getResponseCode() == 200;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static String etcdBinary() {
        Optional<String> configured = Optional.ofNullable(System.getenv("TANDEM_ETCD_BIN"));
        if (configured.isPresent()) {
            return configured.get();
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/bin:/usr/local/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "etcd"))) {
                return Path.of(dir, "etcd").toString();
            }
        }
        throw new IllegalStateException(
                "etcd not found on PATH: install Debian's etcd-server (`make test` does it via scripts/ensure-deps.sh)");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
