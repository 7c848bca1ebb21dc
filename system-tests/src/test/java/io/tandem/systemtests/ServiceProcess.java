package io.tandem.systemtests;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.tandem.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One service started as an operator starts it: {@code java -jar <svc>/target/tandem-<name>.jar}, configured only
 * through environment variables. Its standard output goes to {@code <logs>/<name>.log} and its standard error to
 * {@code <logs>/<name>.err} (kept apart because start-up failures must be one line on standard error); every failed
 * wait reports the tail of both.
 *
 * <p>Every process started here is killed when the test JVM exits, even if a test forgot to close it, so that no
 * service outlives a test run.
 */
public final class ServiceProcess implements AutoCloseable {
    /** Small heaps and the quick JIT: up to six services start at once on a 2-core machine. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(2);
    private static final int TAIL_LINES = 40;
    private static final Set<ServiceProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(PROBE_DEADLINE).build();

    static {
        // The last line of defence against orphans: a test that failed half-way, or a JVM stopped by surefire.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> LIVE.forEach(p -> {
                            p.process.descendants().forEach(ProcessHandle::destroyForcibly);
                            p.process.destroyForcibly();
                        }),
                        "system-tests-kill-services"));
    }

    private final String name;
    private final ServiceKind kind;
    private final int port;
    private final Process process;
    private final Path log;
    private final Path err;
    private final long launchedNanos = System.nanoTime();
    private volatile ManagedChannel channel;

    private ServiceProcess(String name, ServiceKind kind, int port, Process process, Path log, Path err) {
        this.name = name;
        this.kind = kind;
        this.port = port;
        this.process = process;
        this.log = log;
        this.err = err;
    }

    /**
     * Starts {@code kind} with exactly {@code env} on top of this JVM's environment minus any {@code TANDEM_*}, {@code
     * GRPC_*} and {@code MICRONAUT_*} variables (so that a developer's shell cannot change what the tests run).
     */
    public static ServiceProcess launch(
            String name, ServiceKind kind, int port, Map<String, String> env, Path logDirectory) {
        Path jar = kind.jar();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        try {
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve(name + ".log");
            Path err = logDirectory.resolve(name + ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(logDirectory.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(log.toFile())
                    .redirectError(err.toFile());
            builder.environment()
                    .keySet()
                    .removeIf(k -> k.startsWith("TANDEM_") || k.startsWith("GRPC_") || k.startsWith("MICRONAUT_"));
            builder.environment().putAll(env);
            ServiceProcess started = new ServiceProcess(name, kind, port, builder.start(), log, err);
            LIVE.add(started);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (" + jar + ")", e);
        }
    }

    public String name() {
        return name;
    }

    public ServiceKind kind() {
        return kind;
    }

    /** The port it listens on: gRPC, or HTTP for api-svc. */
    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A plaintext channel to its gRPC server, made on first use and closed with this process. */
    public synchronized ManagedChannel channel() {
        if (!kind.isGrpc()) {
            throw new IllegalStateException(name + " is " + kind + ", which has no gRPC server");
        }
        if (channel == null) {
            channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
                    .usePlaintext()
                    .build();
        }
        return channel;
    }

    /**
     * Waits until the service says it is ready: gRPC health (service "") SERVING, or for api-svc 300 on {@code GET /}.
     * Fails at once, with the logs, if the process exits meanwhile; returns how long it took since launch.
     */
    public Duration awaitReady(Duration deadline) {
        try {
            Eventually.await(deadline, name + " to be ready", () -> {
                requireAlive();
                return kind.isGrpc() ? healthStatus() == ServingStatus.SERVING : httpStatus("/") == 300;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
        }
        return Duration.ofNanos(System.nanoTime() - launchedNanos);
    }

    /** One health check with a short deadline; throws while the server is not reachable. */
    public ServingStatus healthStatus() {
        ManagedChannel ch = channel();
        // While the service starts, connection attempts fail and gRPC backs off for up to minutes: poll promptly.
        ch.resetConnectBackoff();
        return HealthGrpc.newBlockingStub(ch)
                .withDeadlineAfter(PROBE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build())
                .getStatus();
    }

    /** The status code of a GET on api-svc; throws while it is not reachable. */
    public int httpStatus(String path) {
        return httpGet(path).statusCode();
    }

    /** A GET on api-svc, body as text; throws while it is not reachable. */
    public HttpResponse<String> httpGet(String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(PROBE_DEADLINE)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asks it to stop as an operator or an orchestrator does: SIGTERM. */
    public void terminate() {
        process.destroy();
    }

    /** Kills it as a crash would: SIGKILL, no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Waits for it to exit and returns its exit code; fails with its logs after {@code deadline}. */
    public int awaitExit(Duration deadline) {
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running " + deadline + " later\n" + diagnostics());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + name + " to exit", e);
        }
        LIVE.remove(this);
        return process.exitValue();
    }

    /** Everything it wrote to standard error so far. */
    public List<String> stderrLines() {
        return readLines(err);
    }

    /** Everything it wrote to standard output (its log) so far. */
    public List<String> stdoutLines() {
        return readLines(log);
    }

    /** The tail of both outputs, for failure messages. */
    public String diagnostics() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "--- " + name + " (" + kind + ", pid " + process.pid() + ", port " + port + ", " + state + ")\n"
                + "--- " + log + " (last " + TAIL_LINES + " lines)\n" + tail(readLines(log))
                + "--- " + err + " (last " + TAIL_LINES + " lines)\n" + tail(readLines(err));
    }

    /** Closes the channel; a process still running gets SIGTERM and, if it is not gone within 10 s, SIGKILL. */
    @Override
    public void close() {
        ManagedChannel ch;
        synchronized (this) {
            ch = channel;
            channel = null;
        }
        if (ch != null) {
            ch.shutdownNow();
        }
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        LIVE.remove(this);
    }

    @Override
    public String toString() {
        return name + " (" + kind + " on port " + port + ", pid " + process.pid() + ")";
    }

    private void requireAlive() {
        if (!process.isAlive()) {
            // An Error, not an exception: Eventually keeps polling through exceptions, and this will not get better.
            throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready");
        }
    }

    private static List<String> readLines(Path file) {
        try {
            // Lenient decoding: a half-written multi-byte character at the end must not hide the whole log.
            return Files.exists(file)
                    ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                            .lines()
                            .toList()
                    : List.of();
        } catch (IOException e) {
            return List.of("(could not read " + file + ": " + e.getMessage() + ")");
        }
    }

    private static String tail(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())) {
            text.append(line).append('\n');
        }
        return text.toString();
    }
}
