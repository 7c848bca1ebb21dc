package io.tandem.replication.nodes;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.tandem.replication.config.ReplicationConfiguration;
import io.tandem.runtime.grpc.MemberChannels;
import jakarta.inject.Singleton;

/** The channels to volume nodes, closed (after their calls drain) when the application stops. */
@Factory
public class NodeChannels {

    @Singleton
    @Bean(preDestroy = "close")
    MemberChannels memberChannels(ReplicationConfiguration config) {
        return new MemberChannels(config.getNodeChannelIdleTimeout(), config.getNodeChannelShutdownTimeout());
    }
}
