package io.tandem.api.workers;

import io.tandem.api.views.RestValues;
import io.tandem.proto.v1.ServiceRef;
import io.tandem.proto.v1.WorkCleanupResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of the cleanup answer (Cinder's workers view builder). */
final class WorkerViews {
    private WorkerViews() {}

    /** {@code {"cleaning": [...], "unavailable": [...]}}. */
    static Map<String, Object> cleanup(WorkCleanupResponse response) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("cleaning", services(response.getCleaningList()));
        view.put("unavailable", services(response.getUnavailableList()));
        return view;
    }

    private static List<Map<String, Object>> services(List<ServiceRef> services) {
        return services.stream().map(WorkerViews::service).toList();
    }

    private static Map<String, Object> service(ServiceRef service) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", service.getId());
        view.put("host", service.getHost());
        view.put("binary", RestValues.restBinary(service.getBinary()));
        view.put("cluster_name", RestValues.text(service.getClusterName()));
        return view;
    }
}
