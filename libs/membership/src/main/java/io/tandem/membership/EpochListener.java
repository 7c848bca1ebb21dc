package io.tandem.membership;

/**
 * New epochs of one scope, delivered on the watch's own thread, in increasing epoch order, each epoch at most once
 * (a compaction resync re-reads the key and delivers it only if it is newer than the last one delivered).
 */
@FunctionalInterface
public interface EpochListener {
    void epochChanged(String scope, EpochRecord record);
}
