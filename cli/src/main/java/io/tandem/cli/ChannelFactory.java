package io.tandem.cli;

import io.grpc.ManagedChannel;

/**
 * Opens the channel to one address ({@code host:port}). The command line owns the channels it opens and shuts them
 * down when the command ends. The real client opens plaintext Netty channels; tests hand in-process ones.
 */
@FunctionalInterface
public interface ChannelFactory {
    ManagedChannel open(String address);
}
