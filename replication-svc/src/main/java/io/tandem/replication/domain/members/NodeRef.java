package io.tandem.replication.domain.members;

import io.tandem.membership.MemberInfo;

/**
 * A live volume node to call.
 *
 * @param host its host name
 * @param address where its VolumeService listens, {@code host:port}, from its member key
 * @param servedEpoch the epoch its member key says it serves
 */
public record NodeRef(String host, String address, long servedEpoch) {
    public static NodeRef of(MemberInfo member) {
        return new NodeRef(member.host(), member.grpcAddress(), member.epoch());
    }
}
