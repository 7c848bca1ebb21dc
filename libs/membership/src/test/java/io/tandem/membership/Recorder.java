package io.tandem.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Records what listeners receive as short strings ("joined h1 e0", "left h1", "resynced [h1]", "epoch 3 b"), so tests
 * can assert the exact sequence: nothing lost, nothing repeated, in order.
 */
final class Recorder implements MembershipListener, EpochListener, LeaseLossListener {
    private final List<String> events = new ArrayList<>();
    private final List<Reason> losses = new ArrayList<>();

    @Override
    public synchronized void joined(MemberInfo member) {
        events.add("joined " + member.host() + " e" + member.epoch());
    }

    @Override
    public synchronized void updated(MemberInfo member) {
        events.add("updated " + member.host() + " e" + member.epoch());
    }

    @Override
    public synchronized void left(String host) {
        events.add("left " + host);
    }

    @Override
    public synchronized void resynced(MemberSnapshot snapshot) {
        events.add(
                "resynced " + snapshot.members().stream().map(MemberInfo::host).collect(Collectors.toList()));
    }

    @Override
    public synchronized void epochChanged(String scope, EpochRecord record) {
        events.add("epoch " + record.epoch() + " " + record.activeBackendId());
    }

    @Override
    public synchronized void leaseLost(Registration registration, Reason reason) {
        losses.add(reason);
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    synchronized boolean saw(String event) {
        return events.contains(event);
    }

    /** The joined/updated/left events of one host. */
    synchronized List<String> eventsOf(String host) {
        return events.stream()
                .filter(e -> !e.startsWith("resynced") && e.split(" ")[1].equals(host))
                .toList();
    }

    synchronized List<Reason> losses() {
        return new ArrayList<>(losses);
    }
}
