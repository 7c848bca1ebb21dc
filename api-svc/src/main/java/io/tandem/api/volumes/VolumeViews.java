package io.tandem.api.volumes;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpParameters;
import io.tandem.api.views.RestValues;
import io.tandem.proto.v1.Volume;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.runtime.proto.StoredValues;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON shapes of volumes (Cinder's cinder/api/v2/views/volumes.py with the os-vol-host-attr and
 * os-vol-tenant-attr extensions), and their links.
 */
final class VolumeViews {
    private VolumeViews() {}

    /**
     * Where links point, as Cinder builds them: {@code self} under {@code <base>/v3}, {@code bookmark} without the
     * version, both with the project only when the request's path had one.
     *
     * @param base scheme, host and port the client used, e.g. {@code http://127.0.0.1:8776}
     * @param project the path's project, or null for paths without one
     */
    record Links(String base, @Nullable String project) {
        private String collection() {
            return project == null ? "/volumes" : "/" + project + "/volumes";
        }

        List<Map<String, Object>> of(String id) {
            return List.of(
                    link(base + "/v3" + collection() + "/" + id, "self"),
                    link(base + collection() + "/" + id, "bookmark"));
        }

        /**
         * The {@code next} link: the request's query string with {@code marker} set to the last id of this page, so
         * that limit, filters and sort carry over.
         */
        Map<String, Object> next(String path, HttpParameters parameters, String marker) {
            StringBuilder query = new StringBuilder();
            for (String name : parameters.names()) {
                if (name.equals("marker")) {
                    continue;
                }
                for (String value : parameters.getAll(name)) {
                    query.append(encode(name)).append('=').append(encode(value)).append('&');
                }
            }
            query.append("marker=").append(encode(marker));
            return link(base + "/v3" + collection() + path + "?" + query, "next");
        }

        private static String encode(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8);
        }

        private static Map<String, Object> link(String href, String rel) {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("href", href);
            link.put("rel", rel);
            return link;
        }
    }

    /** {@code GET /volumes}: id, name and links. */
    static Map<String, Object> summary(Volume volume, Links links) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", volume.getId());
        view.put("name", RestValues.text(volume.getName()));
        view.put("links", links.of(volume.getId()));
        return view;
    }

    /**
     * Every field (show, create, detail list). Tandem attaches nothing and keeps no types, metadata or encryption, so
     * those fields have Cinder's empty values; the host and owning project are shown to admins only.
     */
    static Map<String, Object> detail(Volume volume, Links links, boolean admin) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", volume.getId());
        view.put("name", RestValues.text(volume.getName()));
        view.put("size", volume.getSizeGb());
        view.put("status", status(volume.getStatus()));
        view.put("created_at", RestValues.time(volume.getCreatedAt()));
        view.put("updated_at", RestValues.time(volume.getUpdatedAt()));
        view.put("description", RestValues.text(volume.getDescription()));
        view.put("availability_zone", RestValues.ZONE);
        view.put("replication_status", RestValues.replicationStatus(volume.getReplicationStatus()));
        view.put("attachments", List.of());
        view.put("metadata", Map.of());
        view.put("bootable", "false");
        view.put("encrypted", false);
        view.put("multiattach", false);
        view.put("user_id", RestValues.text(volume.getUserId()));
        view.put("volume_type", null);
        view.put("links", links.of(volume.getId()));
        if (admin) {
            view.put("os-vol-host-attr:host", RestValues.text(volume.getHost()));
            view.put("os-vol-tenant-attr:tenant_id", volume.getProjectId());
        }
        // cluster_name (admins, 3.61) waits until the maximum microversion reaches 3.61.
        return view;
    }

    /** {@code {"volume": {...}}}. */
    static Map<String, Object> show(Volume volume, Links links, boolean admin) {
        return Map.of("volume", detail(volume, links, admin));
    }

    /** {@code {"volumes": [...]}}, plus {@code volumes_links} with a next link when more remain. */
    static Map<String, Object> page(
            List<Volume> volumes, Function<Volume, Map<String, Object>> view, @Nullable Map<String, Object> nextLink) {
        List<Map<String, Object>> items = new ArrayList<>(volumes.size());
        for (Volume volume : volumes) {
            items.add(view.apply(volume));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("volumes", items);
        if (nextLink != null) {
            body.put("volumes_links", List.of(nextLink));
        }
        return body;
    }

    /** Cinder's spelling ({@code error_deleting}); unset, or a value newer than this build, is null. */
    @Nullable
    private static String status(VolumeStatus status) {
        return status == VolumeStatus.UNRECOGNIZED ? null : StoredValues.storedVolumeStatus(status);
    }
}
