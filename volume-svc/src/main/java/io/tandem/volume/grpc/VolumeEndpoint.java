package io.tandem.volume.grpc;

import io.tandem.proto.v1.VolumeServiceGrpc;
import jakarta.inject.Singleton;

/**
 * A volume node's gRPC endpoint. The volume lifecycle and the driver arrive with the volume-cluster capability, the
 * failover RPCs with the failover capability; until then every RPC answers UNIMPLEMENTED (grpc-java's default), never
 * a pretend success.
 */
@Singleton
public class VolumeEndpoint extends VolumeServiceGrpc.VolumeServiceImplBase {}
