package io.tandem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.FailoverResponse;
import io.tandem.proto.v1.FreezeRequest;
import io.tandem.proto.v1.FreezeResponse;
import io.tandem.proto.v1.GetClusterRequest;
import io.tandem.proto.v1.GetClusterResponse;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.GetFailoverResponse;
import io.tandem.proto.v1.ListClustersRequest;
import io.tandem.proto.v1.ListClustersResponse;
import io.tandem.proto.v1.ListFailoversRequest;
import io.tandem.proto.v1.ListFailoversResponse;
import io.tandem.proto.v1.ListServicesRequest;
import io.tandem.proto.v1.ListServicesResponse;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.PromoteResponse;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.ThawRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real entry point ({@link Tandem#run}) against an in-process ReplicationService that records what it is asked
 * and answers from a script. Waiting ({@code --wait}) goes through a sleeper that only records: nothing here sleeps.
 */
class EndToEndTest {
    private static final Metadata.Key<String> REQUEST_ID = Invocation.REQUEST_ID;
    private static final Metadata.Key<String> USER = Invocation.USER;

    private final FakeReplicationService fake = new FakeReplicationService();
    private final List<Metadata> headers = new CopyOnWriteArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>(Map.of("USER", "alice"));
    private String serverName;
    private Server server;

    private record Run(int status, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        ServerInterceptor recordHeaders = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata metadata, ServerCallHandler<Q, R> next) {
                headers.add(metadata);
                return next.startCall(call, metadata);
            }
        };
        serverName = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(serverName)
                .directExecutor()
                .addService(ServerInterceptors.intercept(fake, recordHeaders))
                .addService(ServerInterceptors.intercept(fake.volumeService(), recordHeaders))
                .build()
                .start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            assertTrue(channel.isShutdown(), "the command line shuts down every channel it opened");
        }
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    private Run tandem(String... argv) {
        return tandem(
                address -> {
                    addresses.add(address);
                    ManagedChannel channel = InProcessChannelBuilder.forName(serverName)
                            .directExecutor()
                            .build();
                    channels.add(channel);
                    return channel;
                },
                argv);
    }

    private Run tandem(ChannelFactory factory, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Tandem(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        env,
                        factory,
                        sleeps::add)
                .run(argv);
        Run run = new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), "a stack trace: " + run.err());
        return run;
    }

    private static ListClustersResponse twoClusters() {
        return ListClustersResponse.newBuilder()
                .addClusters(Messages.cluster1())
                .addClusters(Messages.cluster2())
                .build();
    }

    private static FailoverResponse claimed() {
        return FailoverResponse.newBuilder()
                .setFailoverId(42)
                .setFailover(Messages.failover42(FailoverPhase.FAILOVER_PHASE_CLAIMED))
                .build();
    }

    private static GetFailoverResponse row(FailoverPhase phase) {
        return GetFailoverResponse.newBuilder()
                .setFailover(Messages.failover42(phase))
                .build();
    }

    @Test
    void callsTheDevStackByDefaultWithRequestIdUserAndDeadline() {
        fake.answer("ListClusters", twoClusters());

        Run run = tandem("cluster", "list");

        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());
        assertEquals(
                ClusterCommands.table(twoClusters().getClustersList(), false).render(), run.out());
        assertEquals(List.of("127.0.0.1:50052"), addresses);
        assertEquals(List.of(ListClustersRequest.getDefaultInstance()), fake.requests("ListClusters"));
        Metadata sent = headers.get(0);
        assertTrue(sent.get(REQUEST_ID).matches("req-[0-9a-f-]{36}"), sent.get(REQUEST_ID));
        assertEquals("alice", sent.get(USER));
        Deadline deadline = fake.calls().get(0).deadline();
        assertNotNull(deadline, "every call carries a deadline");
        assertTrue(deadline.timeRemaining(TimeUnit.SECONDS) <= 10, deadline.toString());
    }

    @Test
    void addressFromEnvironmentThenOption() {
        fake.answer("ListClusters", twoClusters());
        env.put("TANDEM_REPLICATION_ADDRESS", "10.0.0.7:6000");
        env.put("TANDEM_USER", "ops-bob");

        assertEquals(0, tandem("cluster", "list").status());
        assertEquals(
                0,
                tandem("--replication", "replication.example:50052", "cluster", "list")
                        .status());

        assertEquals(List.of("10.0.0.7:6000", "replication.example:50052"), addresses);
        assertEquals("ops-bob", headers.get(0).get(USER));
        assertTrue(!headers.get(0).get(REQUEST_ID).equals(headers.get(1).get(REQUEST_ID)), "one request id per run");
    }

    @Test
    void timeoutSetsTheDeadlineOfEveryCall() {
        fake.answer("ListClusters", twoClusters());

        assertEquals(0, tandem("cluster", "list", "--timeout", "3s").status());

        long remaining = fake.calls().get(0).deadline().timeRemaining(TimeUnit.MILLISECONDS);
        assertTrue(remaining > 0 && remaining <= 3000, remaining + " ms");
    }

    @Test
    void aCallThatDoesNotAnswerEndsAtTheDeadline() {
        fake.answer("ListClusters", FakeReplicationService.HANG);

        Run run = tandem("cluster", "list", "--timeout", "200ms");

        assertEquals(1, run.status());
        assertEquals("", run.out());
        assertEquals(
                "tandem: DEADLINE_EXCEEDED: no answer from replication-svc at 127.0.0.1:50052 within 200ms"
                        + " (--timeout)\n",
                run.err());
    }

    @Test
    void clusterShowAndNotFound() {
        fake.answer(
                "GetCluster",
                GetClusterResponse.newBuilder().setCluster(Messages.cluster1()).build(),
                Status.NOT_FOUND.withDescription("Cluster nope@x could not be found."));

        Run shown = tandem("cluster", "show", "cluster1@fs1", "--binary", "volume");
        Run missing = tandem("cluster", "show", "nope@x");

        assertEquals(0, shown.status());
        assertTrue(shown.out().startsWith("name:             cluster1@fs1\n"), shown.out());
        assertTrue(shown.out().contains("  target   rep1        /sites/fs1/secondary  yes\n"), shown.out());
        assertEquals(1, missing.status());
        assertEquals("", missing.out());
        assertEquals("tandem: NOT_FOUND: Cluster nope@x could not be found.\n", missing.err());
        assertEquals(
                List.of(
                        GetClusterRequest.newBuilder()
                                .setName("cluster1@fs1")
                                .setBinary("volume")
                                .build(),
                        GetClusterRequest.newBuilder().setName("nope@x").build()),
                fake.requests("GetCluster"));
    }

    @Test
    void serviceListSendsOnlyTheFiltersGiven() {
        fake.answer(
                "ListServices",
                ListServicesResponse.newBuilder()
                        .addServices(Messages.node1())
                        .addServices(Messages.scheduler())
                        .build());

        Run all = tandem("service", "list");
        Run filtered = tandem("service", "list", "--host", "node1@fs1", "--binary", "volume");

        assertEquals(0, all.status());
        assertEquals(3, all.outLines().size());
        assertEquals(0, filtered.status());
        assertEquals(
                List.of(
                        ListServicesRequest.getDefaultInstance(),
                        ListServicesRequest.newBuilder()
                                .setHost("node1@fs1")
                                .setBinary("volume")
                                .build()),
                fake.requests("ListServices"));
    }

    @Test
    void failoverPrintsTheJournalId() {
        fake.answer("Failover", claimed());

        Run run = tandem("failover", "--cluster", "cluster1@fs1", "--backend-id", "rep1");

        assertEquals(0, run.status(), run.err());
        assertEquals(
                List.of(
                        "failover 42 claimed: cluster1@fs1, (primary) -> rep1",
                        "follow it with 'tandem failover-journal show 42', or use --wait"),
                run.outLines());
        assertEquals(
                List.of(FailoverRequest.newBuilder()
                        .setCluster("cluster1@fs1")
                        .setBackendId("rep1")
                        .build()),
                fake.requests("Failover"));
        assertEquals(List.of(), fake.requests("GetFailover"));
        assertEquals(List.of(), sleeps);
    }

    @Test
    void failoverWaitPrintsEachPhaseOnceAndEndsOnCompleted() {
        fake.answer("Failover", claimed());
        fake.answer(
                "GetFailover",
                row(FailoverPhase.FAILOVER_PHASE_DRAINING),
                row(FailoverPhase.FAILOVER_PHASE_DRAINING),
                row(FailoverPhase.FAILOVER_PHASE_PROMOTING),
                row(FailoverPhase.FAILOVER_PHASE_COMPLETING),
                row(FailoverPhase.FAILOVER_PHASE_COMPLETED));

        Run run = tandem("failover", "--host", "node2@fs1", "--wait");

        assertEquals(0, run.status(), run.err());
        assertEquals(
                List.of(
                        "failover 42 claimed: cluster1@fs1, (primary) -> rep1",
                        "failover 42: draining",
                        "failover 42: promoting on node1@fs1",
                        "failover 42: completing, epoch 3",
                        "failover 42: completed in 4.2s, epoch 3"),
                run.outLines());
        assertEquals(List.of(FailoverRequest.newBuilder().setHost("node2@fs1").build()), fake.requests("Failover"));
        assertEquals(5, fake.requests("GetFailover").size());
        fake.requests("GetFailover")
                .forEach(r ->
                        assertEquals(GetFailoverRequest.newBuilder().setId(42).build(), r));
        fake.calls().forEach(c -> assertNotNull(c.deadline(), c.method() + " without a deadline"));
        assertEquals(5, sleeps.size());
        sleeps.forEach(d -> assertEquals(FailoverCommands.POLL_INTERVAL, d));
    }

    @ParameterizedTest
    @CsvSource({
        "FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS, 3, "
                + "failover 42: completed-with-fenced-members in 4.2s; epoch 3; fenced: node3@fs1",
        "FAILOVER_PHASE_FAILED, 1, failover 42: failed in 4.2s: driver failed: site rep1 unreachable",
        "FAILOVER_PHASE_REVERTED, 1, failover 42: reverted in 4.2s: driver failed: site rep1 unreachable",
    })
    void failoverWaitExitStatusTellsHowItEnded(FailoverPhase phase, int status, String lastLine) {
        fake.answer("Failover", claimed());
        fake.answer("GetFailover", row(FailoverPhase.FAILOVER_PHASE_PROMOTING), row(phase));

        Run run = tandem("failover", "--cluster", "cluster1@fs1", "--wait");

        assertEquals(status, run.status());
        List<String> lines = run.outLines();
        assertEquals(lastLine.replace("; epoch", ", epoch"), lines.get(lines.size() - 1));
        assertEquals("", run.err());
    }

    @Test
    void failoverWaitRidesOutAnUnavailableReplicationService() {
        fake.answer("Failover", claimed());
        fake.answer(
                "GetFailover",
                Status.UNAVAILABLE.withDescription("replication-svc is starting"),
                Status.UNAVAILABLE.withDescription("replication-svc is starting"),
                row(FailoverPhase.FAILOVER_PHASE_COMPLETED));

        Run run = tandem("failover", "--cluster", "cluster1@fs1", "--wait");

        assertEquals(0, run.status());
        assertEquals("tandem: UNAVAILABLE: replication-svc is starting (still waiting for failover 42)\n", run.err());
        assertEquals("failover 42: completed in 4.2s, epoch 3", run.outLines().get(1));
        assertEquals(3, sleeps.size());
    }

    @Test
    void failoverWaitGivesUpOnOtherErrorsAndAfterTooManyFailures() {
        fake.answer("Failover", claimed());
        fake.answer("GetFailover", Status.NOT_FOUND.withDescription("no failover 42"));
        Run notFound = tandem("failover", "--cluster", "cluster1@fs1", "--wait");
        assertEquals(1, notFound.status());
        assertEquals("tandem: NOT_FOUND: no failover 42\n", notFound.err());

        fake.answer("GetFailover", Status.UNAVAILABLE.withDescription("down"));
        sleeps.clear();
        Run down = tandem("failover", "--cluster", "cluster1@fs1", "--wait");
        assertEquals(1, down.status());
        assertEquals(
                List.of("tandem: UNAVAILABLE: down (still waiting for failover 42)", "tandem: UNAVAILABLE: down"),
                down.err().lines().toList());
        assertEquals(FailoverCommands.MAX_POLL_FAILURES, sleeps.size());
    }

    @Test
    void failbackIsAFailoverToDefault() {
        fake.answer(
                "Failover",
                FailoverResponse.newBuilder()
                        .setFailoverId(43)
                        .setFailover(Messages.failover42(FailoverPhase.FAILOVER_PHASE_CLAIMED).toBuilder()
                                .setId(43)
                                .setKind(FailoverKind.FAILOVER_KIND_FAILBACK)
                                .setFromBackendId("rep1")
                                .setToBackendId(""))
                        .build());
        fake.answer(
                "GetFailover",
                GetFailoverResponse.newBuilder()
                        .setFailover(Messages.failover42(FailoverPhase.FAILOVER_PHASE_COMPLETED).toBuilder()
                                .setId(43)
                                .setKind(FailoverKind.FAILOVER_KIND_FAILBACK))
                        .build());

        Run run = tandem("failback", "--host", "node1@fs1", "--wait");

        assertEquals(0, run.status(), run.err());
        assertEquals(
                List.of(
                        "failback 43 claimed: cluster1@fs1, rep1 -> (primary)",
                        "failback 43: completed in 4.2s, epoch 3"),
                run.outLines());
        assertEquals(
                List.of(FailoverRequest.newBuilder()
                        .setHost("node1@fs1")
                        .setBackendId("default")
                        .build()),
                fake.requests("Failover"));
        assertEquals(List.of(GetFailoverRequest.newBuilder().setId(43).build()), fake.requests("GetFailover"));
    }

    private static PromoteResponse promoteClaimed() {
        return PromoteResponse.newBuilder()
                .setFailoverId(45)
                .setFailover(Messages.promote45(FailoverPhase.FAILOVER_PHASE_CLAIMED))
                .build();
    }

    private static GetFailoverResponse promoteRow(FailoverPhase phase) {
        return GetFailoverResponse.newBuilder()
                .setFailover(Messages.promote45(phase))
                .build();
    }

    private static ReplicationTarget target(String backendId, String location) {
        return ReplicationTarget.newBuilder()
                .setBackendId(backendId)
                .setLocation(location)
                .build();
    }

    @Test
    void promoteSendsEveryTargetInOrderAndPrintsTheJournalId() {
        fake.answer("Promote", promoteClaimed());

        Run run = tandem(
                "promote", "--cluster", "cluster1@fs1", "--target", "site-c=/srv/site-c", "--target=site-a=/srv/a=b");

        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());
        assertEquals(
                List.of(
                        "promote 45 claimed: cluster1@fs1, rep1 becomes the primary",
                        "new targets: site-c (/srv/site-c), site-a (/srv/a=b)",
                        "follow it with 'tandem failover-journal show 45', or use --wait"),
                run.outLines());
        assertEquals(
                List.of(PromoteRequest.newBuilder()
                        .setCluster("cluster1@fs1")
                        .addTargets(target("site-c", "/srv/site-c"))
                        .addTargets(target("site-a", "/srv/a=b"))
                        .build()),
                fake.requests("Promote"));
        assertNotNull(fake.calls().get(0).deadline());
        assertEquals("alice", headers.get(0).get(USER));
        assertEquals(List.of(), fake.requests("GetFailover"));
        assertEquals(List.of(), sleeps);
    }

    @Test
    void promoteWithNoTargetsSaysSoAndSendsNone() {
        fake.answer(
                "Promote",
                PromoteResponse.newBuilder()
                        .setFailoverId(45)
                        .setFailover(Messages.promote45(FailoverPhase.FAILOVER_PHASE_CLAIMED).toBuilder()
                                .setFromBackendId(""))
                        .build());

        Run run = tandem("promote", "--host", "node1@fs1", "--no-targets");

        assertEquals(0, run.status(), run.err());
        assertEquals(
                List.of(
                        "promote 45 claimed: cluster1@fs1, (primary) stays the primary",
                        "new targets: none (replication disabled)",
                        "follow it with 'tandem failover-journal show 45', or use --wait"),
                run.outLines());
        assertEquals(List.of(PromoteRequest.newBuilder().setHost("node1@fs1").build()), fake.requests("Promote"));
    }

    @Test
    void promoteWaitFollowsTheJournalRowToItsEnd() {
        fake.answer("Promote", promoteClaimed());
        fake.answer(
                "GetFailover",
                promoteRow(FailoverPhase.FAILOVER_PHASE_DRAINING),
                promoteRow(FailoverPhase.FAILOVER_PHASE_PROMOTING),
                promoteRow(FailoverPhase.FAILOVER_PHASE_PROMOTING),
                promoteRow(FailoverPhase.FAILOVER_PHASE_COMPLETING),
                promoteRow(FailoverPhase.FAILOVER_PHASE_COMPLETED));

        Run run = tandem("promote", "--cluster", "cluster1@fs1", "--target", "site-c=/srv/site-c", "--wait");

        assertEquals(0, run.status(), run.err());
        assertEquals(
                List.of(
                        "promote 45 claimed: cluster1@fs1, rep1 becomes the primary",
                        "new targets: site-c (/srv/site-c)",
                        "promote 45: draining",
                        "promote 45: promoting on node1@fs1",
                        "promote 45: completing, epoch 3",
                        "promote 45: completed in 4.2s, epoch 3"),
                run.outLines());
        assertEquals(5, fake.requests("GetFailover").size());
        fake.requests("GetFailover")
                .forEach(r ->
                        assertEquals(GetFailoverRequest.newBuilder().setId(45).build(), r));
        assertEquals(5, sleeps.size());
        sleeps.forEach(d -> assertEquals(FailoverCommands.POLL_INTERVAL, d));
    }

    @ParameterizedTest
    @CsvSource({
        "FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS, 3, "
                + "promote 45: completed-with-fenced-members in 4.2s; epoch 3; fenced: node3@fs1",
        "FAILOVER_PHASE_FAILED, 1, promote 45: failed in 4.2s: driver failed: site rep1 unreachable",
        "FAILOVER_PHASE_REVERTED, 1, promote 45: reverted in 4.2s: driver failed: site rep1 unreachable",
    })
    void promoteWaitExitStatusTellsHowItEnded(FailoverPhase phase, int status, String lastLine) {
        fake.answer("Promote", promoteClaimed());
        fake.answer("GetFailover", promoteRow(phase));

        Run run = tandem("promote", "--cluster", "cluster1@fs1", "--no-targets", "--wait");

        assertEquals(status, run.status());
        List<String> lines = run.outLines();
        assertEquals(lastLine.replace("; epoch", ", epoch"), lines.get(lines.size() - 1));
        assertEquals("", run.err());
    }

    @Test
    void promoteErrorsAreOneLine() {
        fake.answer(
                "Promote",
                Status.INVALID_ARGUMENT.withDescription("backend_id rep1 is the site being promoted of cluster1@fs1."),
                Status.FAILED_PRECONDITION.withDescription(
                        "an unfinished failover or promote exists for cluster1@fs1"));

        Run invalid = tandem("promote", "--cluster", "cluster1@fs1", "--target", "rep1=/sites/fs1/secondary");
        Run running = tandem("promote", "--cluster", "cluster1@fs1", "--no-targets", "--wait");

        assertEquals(1, invalid.status());
        assertEquals("", invalid.out());
        assertEquals(
                "tandem: INVALID_ARGUMENT: backend_id rep1 is the site being promoted of cluster1@fs1.\n",
                invalid.err());
        assertEquals(1, running.status());
        assertEquals(
                "tandem: FAILED_PRECONDITION: an unfinished failover or promote exists for cluster1@fs1\n",
                running.err());
        assertEquals(List.of(), fake.requests("GetFailover"));
        assertEquals(List.of(), sleeps);
    }

    @Test
    void aReplicationServiceWithoutPromoteIsOneLine() {
        fake.answer(
                "Promote",
                Status.UNIMPLEMENTED.withDescription("Method not found: tandem.v1.ReplicationService/Promote"));

        Run run = tandem("promote", "--cluster", "cluster1@fs1", "--no-targets");

        assertEquals(1, run.status());
        assertEquals("", run.out());
        assertEquals("tandem: UNIMPLEMENTED: Method not found: tandem.v1.ReplicationService/Promote\n", run.err());
    }

    @Test
    void promoteJsonPrintsTheResponseMessages() throws Exception {
        fake.answer("Promote", promoteClaimed());
        fake.answer("GetFailover", promoteRow(FailoverPhase.FAILOVER_PHASE_COMPLETED));

        Run run = tandem("--json", "promote", "--cluster", "cluster1@fs1", "--target", "c=/c", "--wait");

        assertEquals(0, run.status(), run.err());
        assertFalse(run.out().contains("new targets"), run.out());
        assertFalse(run.out().contains("follow it"), run.out());
        assertTrue(run.out().contains("\"failover_id\": \"45\""), run.out());
        assertTrue(run.out().contains("\"kind\": \"FAILOVER_KIND_PROMOTE\""), run.out());
        assertTrue(run.out().contains("\"phase\": \"FAILOVER_PHASE_COMPLETED\""), run.out());
    }

    @Test
    void freezeAndThaw() {
        fake.answer("Freeze", FreezeResponse.getDefaultInstance());
        fake.answer("Thaw", Status.FAILED_PRECONDITION.withDescription("frozen in cluster1@fs1 must be True to thaw."));

        Run frozen = tandem("freeze", "--cluster", "cluster1@fs1");
        Run thaw = tandem("thaw", "--host", "node1@fs1");

        assertEquals(0, frozen.status());
        assertEquals("frozen: cluster1@fs1\n", frozen.out());
        assertEquals(
                List.of(FreezeRequest.newBuilder().setCluster("cluster1@fs1").build()), fake.requests("Freeze"));
        assertEquals(1, thaw.status());
        assertEquals("tandem: FAILED_PRECONDITION: frozen in cluster1@fs1 must be True to thaw.\n", thaw.err());
        assertEquals(List.of(ThawRequest.newBuilder().setHost("node1@fs1").build()), fake.requests("Thaw"));
    }

    @Test
    void journalListFollowsPages() {
        fake.answer(
                "ListFailovers",
                ListFailoversResponse.newBuilder()
                        .addFailovers(Messages.failover42(FailoverPhase.FAILOVER_PHASE_DRAINING).toBuilder()
                                .setId(44))
                        .addFailovers(Messages.failover42(FailoverPhase.FAILOVER_PHASE_CLAIMED).toBuilder()
                                .setId(43))
                        .setNextPageToken("after-43")
                        .build(),
                ListFailoversResponse.newBuilder()
                        .addFailovers(Messages.failover42(FailoverPhase.FAILOVER_PHASE_COMPLETED))
                        .build());

        Run run = tandem("failover-journal", "list", "--target", "cluster1@fs1", "--unfinished");

        assertEquals(0, run.status(), run.err());
        assertEquals(4, run.outLines().size(), run.out());
        assertTrue(run.outLines().get(1).startsWith("44  failover  cluster1@fs1"), run.out());
        ListFailoversRequest first = ListFailoversRequest.newBuilder()
                .setTarget("cluster1@fs1")
                .setUnfinishedOnly(true)
                .setPageSize(JournalCommands.DEFAULT_LIMIT)
                .build();
        assertEquals(
                List.of(
                        first,
                        first.toBuilder()
                                .setPageSize(JournalCommands.DEFAULT_LIMIT - 2)
                                .setPageToken("after-43")
                                .build()),
                fake.requests("ListFailovers"));
    }

    @Test
    void journalListStopsAtTheLimitAndSaysSo() {
        fake.answer(
                "ListFailovers",
                ListFailoversResponse.newBuilder()
                        .addFailovers(Messages.failover42(FailoverPhase.FAILOVER_PHASE_COMPLETED))
                        .setNextPageToken("after-42")
                        .build());

        Run run = tandem("failover-journal", "list", "--limit", "1");

        assertEquals(0, run.status());
        assertEquals(
                "(the newest 1 rows; --limit 0 lists them all)", run.outLines().get(2));
        assertEquals(1, fake.requests("ListFailovers").size());
        assertEquals(
                ListFailoversRequest.newBuilder().setPageSize(1).build(),
                fake.requests("ListFailovers").get(0));
    }

    @Test
    void journalShow() {
        GetFailoverResponse response = row(FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS);
        fake.answer("GetFailover", response);

        Run run = tandem("failover-journal", "show", "42");

        assertEquals(0, run.status());
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        JournalCommands.print(response.getFailover(), new PrintStream(expected, true, StandardCharsets.UTF_8));
        assertEquals(expected.toString(StandardCharsets.UTF_8), run.out());
        assertEquals(List.of(GetFailoverRequest.newBuilder().setId(42).build()), fake.requests("GetFailover"));
    }

    @Test
    void nodeStatusAsksTheNodeItself() {
        fake.answer("GetNodeStatus", Messages.node1Status());

        Run run = tandem("node", "status", "127.0.0.1:50061");

        assertEquals(0, run.status(), run.err());
        assertEquals(List.of("127.0.0.1:50061"), addresses, "only the node, not replication-svc");
        assertTrue(run.out().startsWith("host:             node1@fs1\n"), run.out());
        assertNotNull(fake.calls().get(0).deadline());
    }

    @Test
    void jsonPrintsTheResponseMessages() throws Exception {
        fake.answer("ListClusters", twoClusters());
        fake.answer("Failover", claimed());
        fake.answer("GetFailover", row(FailoverPhase.FAILOVER_PHASE_COMPLETED));

        Run list = tandem("cluster", "list", "--json");
        Run failover = tandem("--json", "failover", "--cluster", "cluster1@fs1", "--wait");

        ListClustersResponse.Builder parsed = ListClustersResponse.newBuilder();
        JsonFormat.parser().merge(list.out(), parsed);
        assertEquals(twoClusters(), parsed.build());
        assertEquals(0, failover.status());
        assertTrue(failover.out().contains("\"failover_id\": \"42\""), failover.out());
        assertTrue(failover.out().contains("\"phase\": \"FAILOVER_PHASE_COMPLETED\""), failover.out());
        assertFalse(failover.out().contains("follow it"), failover.out());
    }

    @Test
    void anRpcNotBuiltYetIsOneLine() {
        Run run = tandem("failover", "--cluster", "cluster1@fs1");

        assertEquals(1, run.status());
        assertEquals("", run.out());
        assertEquals("tandem: UNIMPLEMENTED: Failover is not scripted\n", run.err());
    }

    @Test
    void anUnreachableServiceIsOneLineWithItsAddress() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String address = "127.0.0.1:" + port;

        Run run = tandem(Tandem::plaintextChannel, "--replication", address, "cluster", "list", "--timeout", "5s");

        assertEquals(1, run.status());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(
                run.err().startsWith("tandem: UNAVAILABLE: cannot reach replication-svc at " + address + ": "),
                run.err());
    }

    @Test
    void anAddressTheChannelBuilderRefusesIsAUsageError() {
        Run run = tandem(Tandem::plaintextChannel, "--replication", "bad address", "cluster", "list");

        assertEquals(2, run.status());
        List<String> lines = run.err().lines().toList();
        assertTrue(lines.get(0).startsWith("tandem: 'bad address' is not a gRPC address (host:port)"), run.err());
        assertEquals("usage: tandem cluster list [--detailed]", lines.get(1));
    }
}
