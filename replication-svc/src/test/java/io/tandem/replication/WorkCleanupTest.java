package io.tandem.replication;

import static io.tandem.replication.ServicesTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.proto.v1.ServiceRef;
import io.tandem.proto.v1.VolumeServiceCleanupWorkersRequest;
import io.tandem.proto.v1.WorkCleanupRequest;
import io.tandem.proto.v1.WorkCleanupResponse;
import io.tandem.runtime.grpc.RequestIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * WorkCleanup (Cinder 3.24) against a running replication-svc: which services are selected, who is asked to clean
 * them, and what the asked node receives. The nodes asked are {@link RecordingVolumeNode}s registered in etcd with
 * their real addresses, as volume nodes register themselves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkCleanupTest {
    private ReplicationHarness harness;
    private RecordingVolumeNode nodeA;
    private RecordingVolumeNode nodeB;

    @BeforeAll
    void start() {
        // A short node deadline keeps the unreachable-node case quick; the default is 10 s.
        harness = ReplicationHarness.start(Map.of("tandem.replication.node-call-timeout", "3s"));
        nodeA = RecordingVolumeNode.start();
        nodeB = RecordingVolumeNode.start();
    }

    @AfterAll
    void stop() {
        nodeA.close();
        nodeB.close();
        harness.close();
    }

    @BeforeEach
    void reset() {
        harness.reset();
        nodeA.reset();
        nodeB.reset();
    }

    private WorkCleanupResponse cleanup(UnaryOperator<WorkCleanupRequest.Builder> filters) {
        return harness.stub()
                .workCleanup(filters.apply(WorkCleanupRequest.newBuilder()).build());
    }

    private static List<String> hosts(List<ServiceRef> refs) {
        return refs.stream().map(ServiceRef::getHost).toList();
    }

    @Test
    void byDefaultOnlyDownServicesAreCleanedByALiveMemberOfTheirCluster() {
        harness.cluster("c1@fs");
        harness.sql("UPDATE clusters SET epoch = 4 WHERE name = 'c1@fs'");
        ServiceRow dead = harness.service("n1@fs", "volume", "c1@fs");
        harness.service("n2@fs", "volume", "c1@fs");
        harness.memberUp("n2@fs", "c1@fs", nodeA.address(), 4);
        Instant before = Instant.now();

        Metadata headers = new Metadata();
        String requestId = RequestIds.generate();
        headers.put(RequestIds.METADATA_KEY, requestId);
        WorkCleanupResponse response = harness.stub()
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .workCleanup(WorkCleanupRequest.getDefaultInstance());

        assertEquals(
                List.of(ServiceRef.newBuilder()
                        .setId(dead.id())
                        .setHost("n1@fs")
                        .setBinary("volume")
                        .setClusterName("c1@fs")
                        .build()),
                response.getCleaningList(),
                "only the dead n1; the live n2 is not cleaned by default");
        assertEquals(List.of(), response.getUnavailableList());

        List<RecordingVolumeNode.Call> calls = nodeA.calls();
        assertEquals(1, calls.size(), "one live member was asked, once");
        VolumeServiceCleanupWorkersRequest sent = calls.get(0).request();
        assertEquals(List.of(dead.id()), sent.getServiceIdsList());
        assertEquals(4, sent.getExpectedEpoch(), "the cleaner must serve the cluster's epoch");
        assertFalse(sent.hasResourceId() || sent.hasResourceType());
        Instant until = Instant.ofEpochSecond(
                sent.getUntil().getSeconds(), sent.getUntil().getNanos());
        assertFalse(until.isBefore(before.minusSeconds(5)), "until is the request time, not something older");
        assertEquals(requestId, calls.get(0).requestId(), "the operator's request id is forwarded");
        assertTrue(calls.get(0).hadDeadline(), "every call to a node has a deadline");
    }

    @Test
    void aDeadServiceWhoseWholeClusterIsDownIsUnavailable() {
        harness.cluster("c2@fs");
        harness.service("m1@fs", "volume", "c2@fs");
        harness.service("m2@fs", "volume", "c2@fs");

        WorkCleanupResponse response = cleanup(r -> r);

        assertEquals(List.of(), response.getCleaningList());
        assertEquals(List.of("m1@fs", "m2@fs"), hosts(response.getUnavailableList()));
        assertEquals(List.of(), nodeA.calls());
    }

    @Test
    void allDeadServicesOfOneClusterGoToOneMemberInOneCall() {
        harness.cluster("c1@fs");
        ServiceRow n1 = harness.service("n1@fs", "volume", "c1@fs");
        ServiceRow n2 = harness.service("n2@fs", "volume", "c1@fs");
        harness.service("n3@fs", "volume", "c1@fs");
        harness.memberUp("n3@fs", "c1@fs", nodeA.address(), 0);

        WorkCleanupResponse response = cleanup(r -> r);

        assertEquals(List.of("n1@fs", "n2@fs"), hosts(response.getCleaningList()));
        assertEquals(1, nodeA.calls().size());
        assertEquals(List.of(n1.id(), n2.id()), nodeA.calls().get(0).request().getServiceIdsList());
    }

    @Test
    void aNonClusteredServiceIsCleanedOnlyByItselfWhenUp() {
        ServiceRow solo = harness.service("solo@fs", "volume", null);
        harness.service("gone@fs", "volume", null);
        harness.memberUp("solo@fs", null, nodeB.address(), 0);

        WorkCleanupResponse down = cleanup(r -> r);
        assertEquals(List.of(), down.getCleaningList());
        assertEquals(List.of("gone@fs"), hosts(down.getUnavailableList()), "nobody else may clean a standalone node");

        WorkCleanupResponse up = cleanup(r -> r.setIsUp(true));
        assertEquals(List.of("solo@fs"), hosts(up.getCleaningList()));
        assertEquals(List.of(), up.getUnavailableList());
        assertEquals(1, nodeB.calls().size());
        assertEquals(List.of(solo.id()), nodeB.calls().get(0).request().getServiceIdsList());
    }

    @Test
    void isUpTrueSelectsTheLiveServicesInstead() {
        harness.cluster("c1@fs");
        harness.service("n1@fs", "volume", "c1@fs");
        ServiceRow live = harness.service("n2@fs", "volume", "c1@fs");
        harness.memberUp("n2@fs", "c1@fs", nodeA.address(), 0);

        WorkCleanupResponse response = cleanup(r -> r.setIsUp(true));

        assertEquals(List.of("n2@fs"), hosts(response.getCleaningList()));
        assertEquals(List.of(live.id()), nodeA.calls().get(0).request().getServiceIdsList());
    }

    @Test
    void filtersNarrowTheServices() {
        harness.cluster("c1@fs");
        harness.cluster("c2@fs");
        ServiceRow n1 = harness.service("n1@fs", "volume", "c1@fs");
        harness.service("n2@fs", "volume", "c1@fs");
        harness.service("m1@fs", "volume", "c2@fs");
        harness.service("ctl", "scheduler", null);
        harness.service("ctl", "api", null);
        harness.service("n9@fs", "volume", "c1@fs");
        harness.memberUp("n9@fs", "c1@fs", nodeA.address(), 0);
        harness.sql("UPDATE services SET disabled = true WHERE host = 'n2@fs'");

        assertEquals(List.of("n1@fs"), hosts(cleanup(r -> r.setHost("n1@fs")).getCleaningList()));
        assertEquals(
                List.of("n1@fs"), hosts(cleanup(r -> r.setServiceId(n1.id())).getCleaningList()));
        assertEquals(
                List.of("m1@fs"), hosts(cleanup(r -> r.setClusterName("c2@fs")).getUnavailableList()));
        assertEquals(List.of(), hosts(cleanup(r -> r.setClusterName("c2@fs")).getCleaningList()));
        assertEquals(List.of("n2@fs"), hosts(cleanup(r -> r.setDisabled(true)).getCleaningList()));
        WorkCleanupResponse enabled = cleanup(r -> r.setDisabled(false));
        assertEquals(List.of("n1@fs", "ctl"), hosts(enabled.getCleaningList()), "by service id");
        assertEquals(List.of("m1@fs"), hosts(enabled.getUnavailableList()));
        // The scheduler holds no rows (Tandem's scheduler creates rows in the chosen member's name): nothing to clean.
        WorkCleanupResponse schedulers = cleanup(r -> r.setBinary("cinder-scheduler"));
        assertEquals(List.of("ctl"), hosts(schedulers.getCleaningList()));
        assertEquals("scheduler", schedulers.getCleaning(0).getBinary());
        assertEquals(List.of(), schedulers.getUnavailableList(), "the api service is never selected");
        assertEquals(
                List.of("n1@fs", "n2@fs"),
                hosts(cleanup(r -> r.setBinary("volume").setClusterName("c1@fs"))
                        .getCleaningList()));
    }

    @Test
    void aResourceIdSelectsTheServiceHoldingItsRow() {
        harness.cluster("c1@fs");
        ServiceRow n1 = harness.service("n1@fs", "volume", "c1@fs");
        harness.service("n2@fs", "volume", "c1@fs");
        harness.service("n3@fs", "volume", "c1@fs");
        harness.memberUp("n3@fs", "c1@fs", nodeA.address(), 0);
        String volume = harness.workersRow(n1.id(), "creating");

        WorkCleanupResponse response =
                cleanup(r -> r.setResourceId(volume.toUpperCase()).setResourceType("volume"));

        assertEquals(List.of("n1@fs"), hosts(response.getCleaningList()), "only the holder, not n2");
        VolumeServiceCleanupWorkersRequest sent = nodeA.calls().get(0).request();
        assertEquals(List.of(n1.id()), sent.getServiceIdsList());
        assertEquals(volume, sent.getResourceId(), "canonical lower-case");
        assertEquals("Volume", sent.getResourceType(), "title-cased, as Cinder");

        var missing = assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> cleanup(r -> r.setResourceId(UUID.randomUUID().toString())));
        assertTrue(missing.getStatus().getDescription().startsWith("There is no resource with UUID"));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> cleanup(r -> r.setResourceId("not-a-uuid")));
    }

    @Test
    void badFiltersAreInvalidArgument() {
        assertCode(Status.Code.INVALID_ARGUMENT, () -> cleanup(r -> r.setBinary("api")));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> cleanup(r -> r.setBinary("cinder-backup")));
        var snapshot = assertCode(Status.Code.INVALID_ARGUMENT, () -> cleanup(r -> r.setResourceType("snapshot")));
        assertEquals(
                "Resource type Snapshot not valid, must be Volume.",
                snapshot.getStatus().getDescription());
        assertCode(Status.Code.INVALID_ARGUMENT, () -> cleanup(r -> r.setResourceType("")));
    }

    @Test
    void aMemberThatFailsIsSkippedForAnother() {
        harness.cluster("c1@fs");
        harness.service("n1@fs", "volume", "c1@fs");
        harness.service("n2@fs", "volume", "c1@fs");
        harness.service("n3@fs", "volume", "c1@fs");
        harness.memberUp("n2@fs", "c1@fs", nodeA.address(), 0);
        harness.memberUp("n3@fs", "c1@fs", nodeB.address(), 0);
        nodeA.failWith(Status.UNAVAILABLE.withDescription("not serving"));

        for (int round = 0; round < 2; round++) {
            // Two rounds: successive cleanups start with different members, so the failing one is met first once.
            assertEquals(List.of("n1@fs"), hosts(cleanup(r -> r).getCleaningList()));
        }
        assertEquals(2, nodeB.calls().size(), "the working member cleaned both times");
        assertEquals(1, nodeA.calls().size(), "the failing member was asked first once, then skipped");

        nodeB.failWith(Status.FAILED_PRECONDITION.withDescription("fenced"));
        WorkCleanupResponse allFail = cleanup(r -> r);
        assertEquals(List.of(), allFail.getCleaningList());
        assertEquals(List.of("n1@fs"), hosts(allFail.getUnavailableList()));
    }

    @Test
    void membersThatAreStaleOrUnreachableCannotClean() {
        harness.cluster("c1@fs");
        harness.sql("UPDATE clusters SET epoch = 5 WHERE name = 'c1@fs'");
        harness.service("n1@fs", "volume", "c1@fs");
        harness.service("n2@fs", "volume", "c1@fs");
        harness.memberUp("n2@fs", "c1@fs", nodeA.address(), 4);

        WorkCleanupResponse stale = cleanup(r -> r);
        assertEquals(List.of("n1@fs"), hosts(stale.getUnavailableList()), "a member serving epoch 4 must not write");
        assertEquals(List.of(), nodeA.calls());

        harness.cluster("c2@fs");
        harness.service("m1@fs", "volume", "c2@fs");
        harness.service("m2@fs", "volume", "c2@fs");
        // A live key whose address nobody listens on (a node hung between its lease and its server).
        harness.memberUp("m2@fs", "c2@fs", "127.0.0.1:" + closedPort(), 0);
        WorkCleanupResponse unreachable = cleanup(r -> r.setClusterName("c2@fs"));
        assertEquals(List.of("m1@fs"), hosts(unreachable.getUnavailableList()));
    }

    @Test
    void aSchedulerThatHoldsRowsHasNoCleaner() {
        ServiceRow scheduler = harness.service("ctl", "scheduler", null);
        harness.workersRow(scheduler.id(), "creating");

        WorkCleanupResponse response = cleanup(r -> r.setBinary("scheduler"));

        assertEquals(List.of(), response.getCleaningList());
        assertEquals(List.of("ctl"), hosts(response.getUnavailableList()));
    }

    /** A loopback port nobody listens on (free a moment ago). */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
