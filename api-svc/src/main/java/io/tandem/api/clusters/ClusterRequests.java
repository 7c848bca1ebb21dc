package io.tandem.api.clusters;

import io.tandem.api.errors.ApiException;
import io.tandem.api.http.JsonBody;
import io.tandem.api.views.RestValues;
import java.util.Optional;

/** The bodies of {@code PUT /clusters/enable} and {@code /clusters/disable}, as Cinder's schemas check them. */
final class ClusterRequests {
    static final String DEFAULT_BINARY = "cinder-volume";
    private static final int MAX_LENGTH = 255;

    private ClusterRequests() {}

    /** Which cluster: {@code name} (required, 1 to 255 characters) and {@code binary} (default cinder-volume). */
    record ClusterKey(String name, String grpcBinary) {
        static ClusterKey parse(JsonBody body) {
            String name =
                    body.string("name").orElseThrow(() -> ApiException.badRequest("'name' is a required property"));
            if (name.isEmpty()) {
                throw body.invalid("name", "'' is too short");
            }
            if (name.length() > MAX_LENGTH) {
                throw body.invalid("name", "'" + name + "' is too long");
            }
            String binary = body.string("binary").orElse(DEFAULT_BINARY);
            return new ClusterKey(name, RestValues.grpcBinary(binary));
        }
    }

    /** {@code disabled_reason}, optional; when given, 1 to 255 characters once trimmed (Cinder's format check). */
    static String disabledReason(JsonBody body) {
        Optional<String> reason = body.string("disabled_reason").map(String::strip);
        if (reason.isPresent() && (reason.get().isEmpty() || reason.get().length() > MAX_LENGTH)) {
            throw body.invalid("disabled_reason", "Disabled reason contains invalid characters or is too long");
        }
        return reason.orElse("");
    }
}
