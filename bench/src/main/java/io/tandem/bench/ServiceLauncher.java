package io.tandem.bench;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One service process started as an operator starts it ({@code java -jar <module>/target/<jar>}, configured only by
 * environment variables), the approach of system-tests' ServiceProcess: output to {@code <logs>/<name>.log}, no
 * TANDEM_/GRPC_/MICRONAUT_ variable inherited from the caller's shell, killed when the bench's JVM exits.
 */
final class ServiceLauncher implements AutoCloseable {
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;
    private final ManagedChannel channel;

    private ServiceLauncher(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "bench-kill-" + name));
    }

    /** Starts {@code <top>/<module>/target/<jarName>} with {@code env}; does not wait for it. */
    static ServiceLauncher launch(
            String name, Path top, String module, String jarName, int port, Map<String, String> env, Path logs) {
        Path jar = top.resolve(module).resolve("target").resolve(jarName);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (`make bench` does)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(logs.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment()
                    .keySet()
                    .removeIf(k -> k.startsWith("TANDEM_") || k.startsWith("GRPC_") || k.startsWith("MICRONAUT_"));
            builder.environment().putAll(env);
            builder.environment().put("GRPC_SERVER_PORT", String.valueOf(port));
            return new ServiceLauncher(name, port, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    ManagedChannel channel() {
        return channel;
    }

    int port() {
        return port;
    }

    /** Waits for gRPC health SERVING; fails with the log's path if the process exits or the deadline passes. */
    void awaitReady(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() - end < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                channel.resetConnectBackoff();
                ServingStatus status = HealthGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(2, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance())
                        .getStatus();
                if (status == ServingStatus.SERVING) {
                    return;
                }
            } catch (RuntimeException e) {
                // still starting
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new IllegalStateException(name + " not ready after " + deadline + "; see " + log);
    }

    /** For api-svc, which serves REST only: waits until {@code GET /} answers 300 (version discovery). */
    void awaitHttpReady(Duration deadline) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest probe = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() - end < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(probe, java.net.http.HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 300) {
                    return;
                }
            } catch (IOException e) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name, e);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        throw new IllegalStateException(name + " not ready after " + deadline + "; see " + log);
    }

    /** SIGTERM, then SIGKILL if it is still there 10 s later. */
    @Override
    public void close() {
        channel.shutdownNow();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
