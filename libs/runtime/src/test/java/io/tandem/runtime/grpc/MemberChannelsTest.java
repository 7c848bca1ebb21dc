package io.tandem.runtime.grpc;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.tandem.core.error.UnavailableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The channel cache: one channel per address, all of them closed at shutdown, none handed out afterwards. */
class MemberChannelsTest {

    @Test
    void oneChannelPerAddressAllClosedAtShutdown() {
        MemberChannels channels = new MemberChannels(Duration.ofMinutes(5), Duration.ofSeconds(1));
        ManagedChannel first = channels.channel("127.0.0.1:50061");
        assertSame(first, channels.channel("127.0.0.1:50061"), "reused, not reopened");
        ManagedChannel other = channels.channel("127.0.0.1:50062");
        assertNotSame(first, other);

        channels.close();

        assertTrue(first.isShutdown() && other.isShutdown());
        assertThrows(UnavailableException.class, () -> channels.channel("127.0.0.1:50061"));
    }
}
