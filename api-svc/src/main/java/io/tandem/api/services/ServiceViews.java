package io.tandem.api.services;

import io.tandem.api.http.ApiVersion;
import io.tandem.api.services.ServiceRequests.ServiceKey;
import io.tandem.api.views.RestValues;
import io.tandem.proto.v1.Service;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of os-services, Cinder's fields and their microversion gates. */
final class ServiceViews {
    private ServiceViews() {}

    /** {@code {"services": [...]}}. */
    static Map<String, Object> list(List<Service> services, ApiVersion version) {
        return Map.of(
                "services", services.stream().map(s -> service(s, version)).toList());
    }

    static Map<String, Object> service(Service service, ApiVersion version) {
        Map<String, Object> view = new LinkedHashMap<>();
        String binary = RestValues.restBinary(service.getBinary());
        view.put("binary", binary);
        view.put("host", service.getHost());
        view.put("zone", RestValues.ZONE);
        view.put("status", service.getDisabled() ? "disabled" : "enabled");
        view.put("state", service.getIsUp() ? "up" : "down");
        view.put("updated_at", RestValues.time(service.getUpdatedAt()));
        if (version.atLeast(ApiVersion.CLUSTER_SUPPORT)) {
            view.put("cluster", RestValues.text(service.getClusterName()));
        }
        view.put("disabled_reason", RestValues.text(service.getDisabledReason()));
        // Cinder shows the replication fields of volume services at every version (os-extended-services).
        if (binary.equals("cinder-volume")) {
            view.put("replication_status", RestValues.replicationStatus(service.getReplicationStatus()));
            view.put("active_backend_id", RestValues.text(service.getActiveBackendId()));
            view.put("frozen", service.getFrozen());
        }
        return view;
    }

    /**
     * The answer to enable, disable and disable-log-reason. {@code host}, {@code service} and {@code binary} echo the
     * request as Cinder does ({@code service} is the deprecated spelling of binary; "" when not sent); the status
     * comes from the service after the change.
     */
    static Map<String, Object> statusChange(ServiceKey key, Service after, boolean withReason) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("host", key.host());
        view.put("service", key.serviceKey());
        view.put("binary", key.binaryKey());
        view.put("status", after.getDisabled() ? "disabled" : "enabled");
        view.put("disabled", after.getDisabled());
        if (withReason) {
            view.put("disabled_reason", RestValues.text(after.getDisabledReason()));
        }
        return view;
    }
}
