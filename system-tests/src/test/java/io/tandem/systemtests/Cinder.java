package io.tandem.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code cinder} command (python3-cinderclient, installed by scripts/ensure-deps.sh), the reference client of
 * the Block Storage API, run against api-svc as an operator runs it in noauth mode:
 *
 * <pre>
 * cinder --os-auth-type noauth --os-user-id admin --os-project-id P \
 *        --os-endpoint http://127.0.0.1:PORT/v3/P --os-volume-api-version 3.26 &lt;command...&gt;
 * </pre>
 *
 * Each run has a deadline (the process is killed when it passes); its output is kept in the stack's log directory
 * ({@code cinder-<n>.out/.err}) and returned. {@code OS_*}, {@code CINDER_*} and proxy variables of the test JVM's
 * environment are removed, so that a developer's openrc cannot change what the tests run.
 */
final class Cinder {
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final int port;
    private final String user;
    private final String project;
    private final String microversion;
    private final Path logs;
    private final Duration deadline;

    /** A client of the api-svc on {@code 127.0.0.1:<port>}, as admin of {@code project}, at 3.26. */
    Cinder(int port, String project, Path logs) {
        this(port, "admin", project, "3.26", logs, DEFAULT_DEADLINE);
    }

    private Cinder(int port, String user, String project, String microversion, Path logs, Duration deadline) {
        this.port = port;
        this.user = user;
        this.project = project;
        this.microversion = microversion;
        this.logs = logs;
        this.deadline = deadline;
    }

    /** The same client asking for another microversion ({@code --os-volume-api-version}). */
    Cinder atVersion(String version) {
        return new Cinder(port, user, project, version, logs, deadline);
    }

    /** The same client as another user ({@code --os-user-id}). */
    Cinder asUser(String userId) {
        return new Cinder(port, userId, project, microversion, logs, deadline);
    }

    Cinder withDeadline(Duration value) {
        return new Cinder(port, user, project, microversion, logs, value);
    }

    /** {@code http://127.0.0.1:<port>/v3/<project>}. */
    String endpoint() {
        return "http://127.0.0.1:" + port + "/v3/" + project;
    }

    /** The full command line for {@code args}. */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                "cinder",
                "--os-auth-type",
                "noauth",
                "--os-user-id",
                user,
                "--os-project-id",
                project,
                "--os-endpoint",
                endpoint(),
                "--os-volume-api-version",
                microversion));
        command.addAll(Arrays.asList(args));
        return command;
    }

    /** Runs {@code cinder <connection options> <args...>} and waits for it (up to the deadline). */
    Result run(String... args) {
        return exec(command(args));
    }

    /** Runs {@code cinder <args...>} without any connection option (e.g. {@code --version}). */
    Result runBare(String... args) {
        List<String> command = new ArrayList<>(List.of("cinder"));
        command.addAll(Arrays.asList(args));
        return exec(command);
    }

    private Result exec(List<String> command) {
        int run = RUNS.incrementAndGet();
        try {
            Files.createDirectories(logs);
            Path out = logs.resolve("cinder-" + run + ".out");
            Path err = logs.resolve("cinder-" + run + ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(logs.toFile())
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().keySet().removeIf(k -> {
                String key = k.toUpperCase(Locale.ROOT);
                return key.startsWith("OS_") || key.startsWith("CINDER_") || key.endsWith("_PROXY");
            });
            builder.environment().put("NO_PROXY", "127.0.0.1,localhost");
            builder.environment().put("no_proxy", "127.0.0.1,localhost");
            // Plain, untranslated messages and no colour, whatever the developer's locale.
            builder.environment().put("LC_ALL", "C.UTF-8");
            builder.environment().put("PYTHONIOENCODING", "utf-8");
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new AssertionError(
                        "could not run " + command.get(0) + ": install Debian's python3-cinderclient"
                                + " (scripts/ensure-deps.sh test does it)",
                        e);
            }
            boolean finished;
            try {
                finished = process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted running " + String.join(" ", command), e);
            }
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new AssertionError("`" + String.join(" ", command) + "` still running after " + deadline
                        + "; killed it\n--- stdout\n" + read(out) + "--- stderr\n" + read(err));
            }
            return new Result(command, process.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")\n";
        }
    }

    /** What a run printed and how it ended. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        /** Fails with the whole run in the message unless it exited 0; returns this for chaining. */
        Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("expected exit 0: " + this);
            }
            return this;
        }

        /**
         * The rows of the table {@code cinder} printed ({@code | a | b |} lines), cells trimmed; the first row is the
         * header.
         */
        List<List<String>> table() {
            List<List<String>> rows = new ArrayList<>();
            for (String line : stdout.lines().toList()) {
                String trimmed = line.strip();
                if (trimmed.startsWith("|") && trimmed.endsWith("|") && trimmed.length() > 1) {
                    String inner = trimmed.substring(1, trimmed.length() - 1);
                    rows.add(Arrays.stream(inner.split("\\|", -1))
                            .map(String::strip)
                            .toList());
                }
            }
            return rows;
        }

        /**
         * For {@code show}-style output (a two-column Property/Value table): the value of {@code property}, or null.
         */
        String property(String property) {
            for (List<String> row : table()) {
                if (row.size() == 2 && row.get(0).equals(property)) {
                    return row.get(1);
                }
            }
            return null;
        }

        /** The column {@code name} of every data row of a list-style table (header row excluded). */
        List<String> column(String name) {
            List<List<String>> rows = table();
            if (rows.isEmpty()) {
                return List.of();
            }
            int index = rows.get(0).indexOf(name);
            if (index < 0) {
                throw new AssertionError("no column '" + name + "' in " + rows.get(0) + ": " + this);
            }
            return rows.subList(1, rows.size()).stream().map(r -> r.get(index)).toList();
        }

        @Override
        public String toString() {
            return "`" + String.join(" ", command) + "` exited " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n"
                    + stderr;
        }
    }
}
