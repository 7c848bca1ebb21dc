package io.tandem.cli;

import com.google.protobuf.MessageOrBuilder;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.tandem.commandline.Args;
import io.tandem.commandline.Command;
import io.tandem.commandline.UsageException;
import io.tandem.proto.v1.ReplicationServiceGrpc;
import io.tandem.proto.v1.ReplicationServiceGrpc.ReplicationServiceBlockingStub;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.proto.v1.VolumeServiceGrpc.VolumeServiceBlockingStub;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of one command: its parsed arguments, where to print, and the stubs it calls. Every stub carries the
 * deadline of {@code --timeout} (counted from when the stub is made: take a new one for each call) and the call
 * metadata of common.proto ({@code x-openstack-request-id}, one per run; {@code x-tandem-user}).
 */
final class Invocation implements AutoCloseable {
    static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of("x-openstack-request-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> USER = Metadata.Key.of("x-tandem-user", Metadata.ASCII_STRING_MARSHALLER);

    private final List<String> path;
    private final Command<Invocation> command;
    private final Args args;
    private final PrintStream out;
    private final PrintStream err;
    private final Settings settings;
    private final ChannelFactory channels;
    private final Sleeper sleeper;
    private final Metadata headers = new Metadata();
    private final Map<String, ManagedChannel> open = new LinkedHashMap<>();
    private String callee = "";

    /** An address the channel builder refuses: a usage error (exit status 2), not a failed call. */
    static final class BadAddressException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadAddressException(String message) {
            super(message, null, false, false);
        }
    }

    /** The global settings: output format, deadline, where replication-svc is, who calls. */
    record Settings(boolean json, Duration timeout, String replicationAddress, String requestId, String user) {}

    Invocation(
            List<String> path,
            Command<Invocation> command,
            Args args,
            PrintStream out,
            PrintStream err,
            Settings settings,
            ChannelFactory channels,
            Sleeper sleeper) {
        this.path = List.copyOf(path);
        this.command = command;
        this.args = args;
        this.out = out;
        this.err = err;
        this.settings = settings;
        this.channels = channels;
        this.sleeper = sleeper;
        headers.put(REQUEST_ID, settings.requestId());
        if (!settings.user().isEmpty()) {
            headers.put(USER, settings.user());
        }
    }

    Args args() {
        return args;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    boolean json() {
        return settings.json();
    }

    Duration timeout() {
        return settings.timeout();
    }

    Sleeper sleeper() {
        return sleeper;
    }

    /** A stub of replication-svc whose deadline starts now. */
    ReplicationServiceBlockingStub replication() {
        return ReplicationServiceGrpc.newBlockingStub(channel("replication-svc", settings.replicationAddress()))
                .withDeadlineAfter(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A stub of the volume node at {@code address} whose deadline starts now. */
    VolumeServiceBlockingStub volume(String address) {
        return VolumeServiceGrpc.newBlockingStub(channel("volume node", address))
                .withDeadlineAfter(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** What the last stub called, e.g. {@code replication-svc at 127.0.0.1:50052} (for error lines). */
    String callee() {
        return callee;
    }

    void printJson(MessageOrBuilder message) {
        out.println(Json.print(message));
    }

    /** A usage error found while running: shown with this command's usage line, exit status 2. */
    UsageException usageError(String message) {
        return new UsageException(message, path, command);
    }

    private Channel channel(String what, String address) {
        callee = what + " at " + address;
        ManagedChannel channel = open.get(address);
        if (channel == null) {
            try {
                channel = channels.open(address);
            } catch (IllegalArgumentException e) {
                throw new BadAddressException(
                        "'" + address + "' is not a gRPC address (host:port): " + Text.oneLine(e.getMessage()));
            }
            open.put(address, channel);
        }
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Override
    public void close() {
        for (ManagedChannel channel : open.values()) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : open.values()) {
            try {
                channel.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
