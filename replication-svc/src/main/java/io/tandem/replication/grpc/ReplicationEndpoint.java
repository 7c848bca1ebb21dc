package io.tandem.replication.grpc;

import io.tandem.proto.v1.ReplicationServiceGrpc;
import jakarta.inject.Singleton;

/**
 * replication-svc's gRPC endpoint. Failover, freeze/thaw, the journal and the cluster and service admin RPCs arrive
 * with their capabilities; until then every RPC answers UNIMPLEMENTED (grpc-java's default), never a pretend success.
 */
@Singleton
public class ReplicationEndpoint extends ReplicationServiceGrpc.ReplicationServiceImplBase {}
