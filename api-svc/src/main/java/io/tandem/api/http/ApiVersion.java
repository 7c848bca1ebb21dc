package io.tandem.api.http;

import io.micronaut.http.HttpRequest;
import io.tandem.api.errors.ApiException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Block Storage microversion, {@code major.minor}. {@link MicroversionFilter} parses the request header into one and
 * stores it on the request; controllers read it with {@link #of(HttpRequest)} and gate fields and routes with {@link
 * #atLeast(ApiVersion)}.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    /** The oldest microversion served (the v3 base). */
    public static final ApiVersion MIN = new ApiVersion(3, 0);

    /**
     * The newest microversion whose changes to the implemented routes are all implemented; the README lists what each
     * one between MIN and MAX changes. Raise it only together with the routes it gates.
     */
    public static final ApiVersion MAX = new ApiVersion(3, 26);

    /** 3.7: services show their {@code cluster}; the clusters routes exist. */
    public static final ApiVersion CLUSTER_SUPPORT = new ApiVersion(3, 7);

    /** 3.24: {@code POST /workers/cleanup} exists. */
    public static final ApiVersion WORKERS_CLEANUP = new ApiVersion(3, 24);

    /** 3.26: failover, freeze and thaw take a {@code cluster}; {@code PUT os-services/failover}; cluster replication fields. */
    public static final ApiVersion REPLICATION_CLUSTER = new ApiVersion(3, 26);

    /** Request attribute the filter stores the version under. */
    static final String ATTRIBUTE = "tandem.api.version";

    // Cinder's grammar: no leading zeros, so "3.01" is malformed rather than a second spelling of 3.1.
    private static final Pattern FORMAT = Pattern.compile("([1-9]\\d{0,5})\\.([1-9]\\d{0,5}|0)");

    /**
     * Parses {@code "3.26"}, or {@code "latest"} (= {@link #MAX}). A malformed string is a 400 with Cinder's message; the
     * range is not checked here (see {@link #isSupported()}).
     */
    public static ApiVersion parse(String text) {
        if ("latest".equals(text)) {
            return MAX;
        }
        Matcher matcher = FORMAT.matcher(text);
        if (!matcher.matches()) {
            throw ApiException.badRequest(
                    "API Version String " + text + " is of invalid format. Must be of format MajorNum.MinorNum.");
        }
        return new ApiVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    /** The version of a request that passed {@link MicroversionFilter}. */
    public static ApiVersion of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, ApiVersion.class).orElse(MIN);
    }

    public boolean isSupported() {
        return compareTo(MIN) >= 0 && compareTo(MAX) <= 0;
    }

    public boolean atLeast(ApiVersion other) {
        return compareTo(other) >= 0;
    }

    /**
     * Routes added by a microversion do not exist below it: 404, with no hint (as Cinder answers, so that the route
     * looks absent rather than forbidden).
     */
    public void require(ApiVersion introducedIn) {
        if (!atLeast(introducedIn)) {
            throw ApiException.notFound("The resource could not be found.");
        }
    }

    @Override
    public int compareTo(ApiVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
