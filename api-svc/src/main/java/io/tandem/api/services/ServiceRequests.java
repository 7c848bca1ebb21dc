package io.tandem.api.services;

import io.micronaut.core.annotation.Nullable;
import io.tandem.api.errors.ApiException;
import io.tandem.api.http.ApiVersion;
import io.tandem.api.http.JsonBody;
import io.tandem.api.views.RestValues;
import java.util.Optional;
import java.util.regex.Pattern;

/** The bodies of the os-services PUT routes, checked as Cinder's schemas (cinder/api/schemas/services.py) do. */
final class ServiceRequests {
    private static final Pattern HOST = RestValues.HOST;
    private static final int MAX_LENGTH = 255;

    private ServiceRequests() {}

    /**
     * Enable, disable and disable-log-reason name one service: {@code host} and {@code binary} (or its deprecated
     * spelling {@code service}). {@code cluster} is accepted and ignored, as Cinder does.
     */
    record ServiceKey(String host, String serviceKey, String binaryKey) {
        static final String[] KEYS = {"host", "binary", "service", "cluster"};

        static ServiceKey parse(JsonBody body) {
            String binary = optionalText(body, "binary", 1).orElse("");
            String service = optionalText(body, "service", 1).orElse("");
            if (binary.isEmpty() && service.isEmpty()) {
                throw ApiException.badRequest("'binary' is a required property");
            }
            optionalText(body, "cluster", 0);
            String host = hostField(body).orElseThrow(() -> ApiException.invalidInput("Host field is missing."));
            return new ServiceKey(host, service, binary);
        }

        /** The binary to ask for: {@code binary} wins over {@code service}; Cinder's names become Tandem's. */
        String grpcBinary() {
            return RestValues.grpcBinary(binaryKey.isEmpty() ? serviceKey : binaryKey);
        }
    }

    /**
     * What freeze, thaw and failover act on: a {@code cluster} or a {@code host}, exactly one. Before 3.26 only a host
     * (Cinder: "Host field is missing."); a cluster there is refused rather than silently ignored as Cinder does, so
     * a client never acts on a host when it meant a cluster.
     */
    record Target(@Nullable String cluster, @Nullable String host) {
        static Target parse(JsonBody body, ApiVersion version) {
            String cluster =
                    optionalText(body, "cluster", 0).filter(s -> !s.isEmpty()).orElse(null);
            String host = hostField(body).orElse(null);
            if (version.atLeast(ApiVersion.REPLICATION_CLUSTER)) {
                if ((cluster == null) == (host == null)) {
                    throw ApiException.invalidInput("One and only one of cluster and host must be set.");
                }
            } else {
                if (host == null) {
                    throw ApiException.invalidInput("Host field is missing.");
                }
                if (cluster != null) {
                    throw ApiException.invalidInput(
                            "cluster is accepted from microversion " + ApiVersion.REPLICATION_CLUSTER + " on.");
                }
            }
            return new Target(cluster, host);
        }
    }

    /** {@code backend_id}: a target's id, "default" (fail back), or null/absent for the backend's only target. */
    static String backendId(JsonBody body) {
        return optionalText(body, "backend_id", 0).orElse("");
    }

    /** {@code disabled_reason}, optional; when given, 1 to 255 characters once trimmed. */
    static String disabledReason(JsonBody body) {
        Optional<String> reason = body.string("disabled_reason").map(String::strip);
        if (reason.isPresent() && (reason.get().isEmpty() || reason.get().length() > MAX_LENGTH)) {
            throw body.invalid("disabled_reason", "Disabled reason contains invalid characters or is too long");
        }
        return reason.orElse("");
    }

    private static Optional<String> hostField(JsonBody body) {
        Optional<String> host = optionalText(body, "host", 1);
        if (host.isPresent() && !HOST.matcher(host.get()).matches()) {
            throw body.invalid("host", "'" + host.get() + "' does not match '^" + HOST.pattern() + "$'");
        }
        return host;
    }

    /** A nullable string of at most 255 characters and at least {@code minLength} when present. */
    private static Optional<String> optionalText(JsonBody body, String key, int minLength) {
        Optional<String> value = body.string(key);
        if (value.isPresent() && value.get().length() < minLength) {
            throw body.invalid(key, "'" + value.get() + "' is too short");
        }
        if (value.isPresent() && value.get().length() > MAX_LENGTH) {
            throw body.invalid(key, "'" + value.get() + "' is too long");
        }
        return value;
    }
}
