package io.tandem.api.tandem;

import io.micronaut.core.annotation.Nullable;
import io.tandem.api.errors.ApiException;
import io.tandem.api.http.JsonBody;
import io.tandem.api.views.RestValues;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.ReplicationTarget;
import java.util.Optional;

/**
 * The body of {@code POST .../tandem/promote}, an action body in Cinder's style (docs/openapi.yaml, schema
 * PromoteRequest):
 *
 * <pre>{@code
 * {"promote": {"cluster": "cluster1@fs1",
 *              "targets": [{"backend_id": "site-c", "location": "/srv/site-c"}]}}
 * }</pre>
 *
 * Exactly one of {@code cluster} and {@code host}; {@code targets} is required, so that no client drops replication by
 * leaving it out: {@code []} says so explicitly (the backend ends with replication disabled). Only the shape is checked
 * here; what the targets may be (not "default", no duplicates, not the site being promoted) is replication-svc's
 * rule, answered as INVALID_ARGUMENT, hence 400 too.
 */
final class PromoteRequests {
    static final String ACTION = "promote";
    private static final String[] KEYS = {"cluster", "host", "targets"};
    private static final String[] TARGET_KEYS = {"backend_id", "location"};
    private static final int MAX_LENGTH = 255;

    private PromoteRequests() {}

    static PromoteRequest parse(@Nullable String text) {
        JsonBody promote = JsonBody.parse(text, ACTION).object(ACTION, KEYS);
        Optional<String> cluster = name(promote, "cluster");
        Optional<String> host = name(promote, "host");
        if (cluster.isPresent() == host.isPresent()) {
            throw ApiException.invalidInput("One and only one of cluster and host must be set.");
        }
        if (host.isPresent() && !RestValues.HOST.matcher(host.get()).matches()) {
            throw promote.invalid("host", "'" + host.get() + "' does not match '^" + RestValues.HOST.pattern() + "$'");
        }
        PromoteRequest.Builder request = PromoteRequest.newBuilder();
        if (cluster.isPresent()) {
            request.setCluster(cluster.get());
        } else {
            request.setHost(host.get());
        }
        for (JsonBody target : promote.objects("targets", TARGET_KEYS)) {
            request.addTargets(ReplicationTarget.newBuilder()
                    .setBackendId(text(target, "backend_id", MAX_LENGTH))
                    .setLocation(text(target, "location", Integer.MAX_VALUE)));
        }
        return request.build();
    }

    /** A cluster or host name: null or absent is unset; a string of 1 to 255 characters otherwise. */
    private static Optional<String> name(JsonBody body, String key) {
        Optional<String> value = body.string(key);
        value.ifPresent(v -> checkLength(body, key, v, MAX_LENGTH));
        return value;
    }

    /** A required string of 1 to {@code maxLength} characters. */
    private static String text(JsonBody body, String key, int maxLength) {
        String value = body.requiredString(key);
        checkLength(body, key, value, maxLength);
        return value;
    }

    private static void checkLength(JsonBody body, String key, String value, int maxLength) {
        if (value.isEmpty()) {
            throw body.invalid(key, "'' is too short");
        }
        if (value.length() > maxLength) {
            throw body.invalid(key, "'" + value + "' is too long");
        }
    }
}
