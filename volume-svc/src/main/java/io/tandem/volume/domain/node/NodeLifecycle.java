package io.tandem.volume.domain.node;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Runs {@link NodeStartup} once the gRPC server listens (the member key must carry the port it got) and stops it with
 * the context. Until the start sequence has finished, the VolumeService answers UNAVAILABLE ({@link NodeState}).
 */
@Singleton
public class NodeLifecycle implements ApplicationEventListener<ServerStartupEvent> {
    private final NodeStartup startup;

    public NodeLifecycle(NodeStartup startup) {
        this.startup = startup;
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        startup.start(event.getSource().getPort());
    }

    @PreDestroy
    void close() {
        startup.close();
    }
}
