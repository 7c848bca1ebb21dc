package io.tandem.membership;

import static io.tandem.membership.EtcdCalls.bytes;

import io.etcd.jetcd.kv.GetResponse;
import java.time.Instant;
import java.util.Optional;

/**
 * The start-up update claims, {@code updating/<scope>} → {@link UpdateClaim}: which member of a backend runs the
 * driver's {@code updateHostReplication} at start (after an offline reset). Taking a claim is a create-if-absent
 * transaction on a lease of the claim's own, granted for it and kept alive until the claim is closed: a claimer that
 * dies loses its lease within the TTL, etcd removes the key with it, and a waiting member takes the claim over. The
 * claim exists before the member has registered (it is still starting), which is why it does not use the member's
 * lease.
 */
public final class UpdateClaims {
    /** What the key holds: who runs the update, since when. */
    public record UpdateClaim(String host, Instant claimedAt) {}

    private final EtcdContext ctx;

    UpdateClaims(EtcdContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Takes the claim of {@code scope} for {@code host} unless another lease holds it; blocking, bounded.
     *
     * @return the claim, whose {@link Registration#close()} releases it; empty when another member holds it
     * @throws io.tandem.core.error.UnavailableException when etcd cannot be reached
     */
    public Optional<Registration> tryClaim(String scope, String host, LeaseLossListener lossListener) {
        String key = ctx.keys().updating(scope);
        return Registration.openIfAbsent(
                        ctx,
                        key,
                        new UpdateClaim(host, Instant.now()),
                        "the start-up update claim of " + scope + " for " + host,
                        lossListener)
                .map(ctx::track);
    }

    /** The current claim of {@code scope}, if a live lease holds it; blocking, bounded. */
    public Optional<UpdateClaim> holder(String scope) {
        String key = ctx.keys().updating(scope);
        GetResponse response = ctx.calls()
                .complete(ctx.client().getKVClient().get(bytes(key)), "reading the start-up update claim of " + scope);
        return response.getKvs().stream().findFirst().map(kv -> Json.read(key, kv.getValue(), UpdateClaim.class));
    }
}
