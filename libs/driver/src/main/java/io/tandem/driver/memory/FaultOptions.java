package io.tandem.driver.memory;

import io.tandem.driver.DriverException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fault keys of the in-memory driver's options (the table is in {@link InMemoryDriver}) and arms them on a
 * backend's {@link Faults}. Every key is checked before anything is armed, so a typo fails the node's start instead
 * of silently injecting nothing.
 *
 * <p>Keys are {@code delay.<op>}, {@code fail.<op>.on-call}, {@code fail.<op>.from-call}, {@code hang.<op>}, {@code
 * hang.<op>.timeout} and {@code hang.<op>.release-file}, where {@code <op>} is an {@link Operation#key()}: {@code
 * setup, create, delete, extend, initialize-connection, capacity, replicate, failover, failover-completed, freeze,
 * thaw, update-host-replication, reconfigure}. For the promote, for example:
 *
 * <ul>
 *   <li>{@code hang.update-host-replication=true}: the member's {@code updateHostReplication} blocks for good (a
 *       system test kills that process with {@code kill -9}); with {@code
 *       hang.update-host-replication.release-file=<path>} it proceeds once the file exists;
 *   <li>{@code fail.update-host-replication.on-call=1}, {@code delay.update-host-replication=2s};
 *   <li>{@code hang.reconfigure.release-file=<path>}, {@code fail.reconfigure.from-call=2}, {@code
 *       delay.reconfigure=500ms}.
 * </ul>
 */
final class FaultOptions {
    private static final Pattern KEY =
            Pattern.compile("(delay|fail|hang)\\.([a-z-]+?)(?:\\.(on-call|from-call|timeout|release-file))?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    /** A failure rule: the {@code n}th call, or every call from it. */
    private record FailSpec(long n, boolean andAfter) {}

    /** The hang settings of one operation, gathered over its keys. */
    private static final class HangSpec {
        boolean armed = true;
        Duration timeout;
        Path releaseFile;
    }

    private final Map<Operation, Duration> delays = new EnumMap<>(Operation.class);
    private final Map<Operation, FailSpec> failures = new EnumMap<>(Operation.class);
    private final Map<Operation, HangSpec> hangs = new EnumMap<>(Operation.class);

    private FaultOptions() {}

    /**
     * Parses the fault keys among {@code options}; other keys are left to the caller, which passes the keys it knows.
     *
     * @throws DriverException naming the first bad key or value
     */
    static FaultOptions parse(Map<String, String> options) {
        FaultOptions parsed = new FaultOptions();
        options.forEach(parsed::read);
        return parsed;
    }

    /** True when {@code key} looks like a fault key (its kind is delay, fail or hang). */
    static boolean isFaultKey(String key) {
        return key.startsWith("delay.") || key.startsWith("fail.") || key.startsWith("hang.");
    }

    /** Arms what was parsed; keys that were absent change nothing. */
    void applyTo(Faults faults) {
        delays.forEach(faults::delay);
        failures.forEach((operation, rule) -> faults.configureFailure(operation, rule.n(), rule.andAfter()));
        hangs.forEach((operation, spec) -> {
            if (spec.armed) {
                faults.configureHang(operation, spec.timeout, spec.releaseFile);
            } else if (faults.currentHang(operation) != null) {
                faults.currentHang(operation).release();
            }
        });
    }

    private void read(String key, String value) {
        if (!isFaultKey(key)) {
            return;
        }
        Matcher matcher = KEY.matcher(key);
        if (!matcher.matches()) {
            throw bad(key, value, "not a fault key");
        }
        Operation operation = Operation.fromKey(matcher.group(2))
                .orElseThrow(() -> bad(key, value, "unknown operation '" + matcher.group(2) + "'"));
        String kind = matcher.group(1);
        String setting = matcher.group(3);
        switch (kind) {
            case "delay" -> {
                if (setting != null) {
                    throw bad(key, value, "expected delay.<operation>");
                }
                delays.put(operation, duration(key, value));
            }
            case "fail" -> {
                if (setting == null || !(setting.equals("on-call") || setting.equals("from-call"))) {
                    throw bad(key, value, "expected fail.<operation>.on-call or fail.<operation>.from-call");
                }
                failures.put(operation, new FailSpec(callNumber(key, value), setting.equals("from-call")));
            }
            default -> readHang(key, value, setting, hangs.computeIfAbsent(operation, op -> new HangSpec()));
        }
    }

    private static void readHang(String key, String value, String setting, HangSpec spec) {
        if (setting == null) {
            if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                throw bad(key, value, "expected true or false");
            }
            spec.armed = Boolean.parseBoolean(value);
        } else if (setting.equals("timeout")) {
            spec.timeout = duration(key, value);
        } else if (setting.equals("release-file")) {
            spec.releaseFile = Path.of(value);
        } else {
            throw bad(key, value, "expected hang.<operation>, .timeout or .release-file");
        }
    }

    /** {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}, or ISO-8601 ({@code PT2S}). */
    static Duration duration(String key, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = DURATION.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        try {
            Duration duration = Duration.parse(value.trim());
            if (!duration.isNegative()) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // reported below with the accepted forms
        }
        throw bad(key, value, "expected a duration such as 250ms, 2s, 1m or PT2S");
    }

    private static long callNumber(String key, String value) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(key, value, "expected a call number, 1 or more");
    }

    private static DriverException bad(String key, String value, String why) {
        return new DriverException("In-memory driver option " + key + "=" + value + ": " + why);
    }
}
