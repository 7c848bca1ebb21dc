package io.tandem.scheduler.domain.dispatch;

import io.tandem.core.ServiceBinary;
import io.tandem.core.error.UnavailableException;
import io.tandem.persistence.service.ServiceRepository;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * {@code services.id} of volume nodes by host, for {@code workers.service_id}. Cached: the id of a host never changes
 * while its row exists (registration upserts). A node that registers again is forgotten, so a row recreated by hand
 * is read again.
 */
public final class ServiceIds {
    private final ServiceRepository services;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();

    public ServiceIds(DataSource dataSource) {
        this.services = new ServiceRepository(dataSource);
    }

    /** The id of volume node {@code host}; UNAVAILABLE when it has no row (a node registers its row first). */
    public int of(String host) {
        Integer cached = ids.get(host);
        if (cached != null) {
            return cached;
        }
        int id = services.find(host, ServiceBinary.VOLUME.stored())
                .orElseThrow(() -> new UnavailableException(
                        "Volume node " + host + " is live in etcd but has no services row yet; retry"))
                .id();
        ids.put(host, id);
        return id;
    }

    public void forget(String host) {
        ids.remove(host);
    }
}
