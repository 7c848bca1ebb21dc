package io.tandem.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/**
 * {@code --json}: messages in the protobuf JSON mapping, with the field names of the .proto files ({@code
 * failover_id}, as in grpcurl's {@code -d} requests) and every field shown, defaults included, so that scripts need
 * not know which values proto3 leaves out. Enums print by name ({@code REPLICATION_STATUS_FAILED_OVER}).
 */
final class Json {
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().includingDefaultValueFields().preservingProtoFieldNames();

    private Json() {}

    static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            // Only an Any of an unknown type fails; Tandem's messages hold none.
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
