package io.tandem.replication.nodes;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.tandem.core.error.UnavailableException;
import io.tandem.replication.config.ReplicationConfiguration;
import org.junit.jupiter.api.Test;

/** The channel cache: one channel per address, all of them closed at shutdown, none handed out afterwards. */
class NodeChannelsTest {

    @Test
    void oneChannelPerAddressAllClosedAtShutdown() {
        NodeChannels channels = new NodeChannels(new ReplicationConfiguration());
        ManagedChannel first = channels.forAddress("127.0.0.1:50061");
        assertSame(first, channels.forAddress("127.0.0.1:50061"), "reused, not reopened");
        ManagedChannel other = channels.forAddress("127.0.0.1:50062");
        assertNotSame(first, other);

        channels.close();

        assertTrue(first.isShutdown() && other.isShutdown());
        assertThrows(UnavailableException.class, () -> channels.forAddress("127.0.0.1:50061"));
    }
}
