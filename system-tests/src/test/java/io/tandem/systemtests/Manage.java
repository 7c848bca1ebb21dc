package io.tandem.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code tandem-manage} (manage/target/tandem-manage.jar) against a stack, as an operator would. */
final class Manage {
    private static final Path JAR = ServiceKind.top().resolve("manage/target/tandem-manage.jar");

    /** What one run printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private final Stack stack;

    Manage(Stack stack) {
        this.stack = stack;
    }

    /** Runs {@code tandem-manage args…} with the stack's database and etcd, bounded to a minute. */
    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(stack.logDirectory(), "manage-", ".out");
            Path err = Files.createTempFile(stack.logDirectory(), "manage-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("TANDEM_"));
            builder.environment().putAll(stack.environment("manage", ServiceKind.REPLICATION, 0, Map.of()));
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("tandem-manage " + String.join(" ", args) + " did not end within a minute");
            }
            return new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
