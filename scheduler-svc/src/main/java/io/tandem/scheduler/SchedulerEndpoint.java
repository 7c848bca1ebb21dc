package io.tandem.scheduler;

import io.tandem.proto.v1.SchedulerServiceGrpc;
import jakarta.inject.Singleton;

/**
 * The scheduler's gRPC endpoint. Placement, job distribution and the volume reads arrive with the volume-cluster
 * capability; until then every RPC answers UNIMPLEMENTED (grpc-java's default), never a pretend success.
 */
@Singleton
public class SchedulerEndpoint extends SchedulerServiceGrpc.SchedulerServiceImplBase {}
