package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.ServiceInfo;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.ReplicationServiceGrpc;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.proto.v1.VolumeServiceUpdateHostReplicationRequest;
import io.tandem.testing.Eventually;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stack `make run` starts — scheduler, replication, volume nodes node1..3@fs1 of cluster1@fs1, api — started all at
 * once against an empty database, then inspected from outside as an operator and a grpcurl user would: health, etcd
 * keys, database rows, reflection, status codes and request ids.
 */
class DevStackTest {
    /** Six JVMs start at once on two cores; each takes 4–8 s alone, so allow for a slow machine. */
    private static final Duration START_DEADLINE = Duration.ofSeconds(150);

    private static final String CLUSTER = "cluster1@fs1";
    private static final String BACKEND = "fs1";
    private static final List<String> NODES = List.of("node1", "node2", "node3");
    private static final Pattern REQUEST_ID =
            Pattern.compile("req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static Stack stack;
    private static ServiceProcess scheduler;
    private static ServiceProcess replication;
    private static ServiceProcess api;
    private static final List<ServiceProcess> nodes = new ArrayList<>();
    private static final List<String> unregisteredWhenServing = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startTheDevStackAllAtOnce() {
        stack = Stack.create(DevStackTest.class);
        // Launched together, before waiting for any: every service migrates the (empty) schema at start, so this is
        // also the proof that concurrent migrations are safe; and three members race to create the one cluster row.
        scheduler = stack.start("scheduler", ServiceKind.SCHEDULER);
        replication = stack.start("replication", ServiceKind.REPLICATION);
        for (String node : NODES) {
            nodes.add(stack.startVolumeNode(node, CLUSTER, BACKEND, Map.of()));
        }
        api = stack.start("api", ServiceKind.API);
        for (ServiceProcess process : grpcServers()) {
            Duration took = process.awaitReady(START_DEADLINE);
            // Checked the moment SERVING is seen, before anything else: health must not turn SERVING until the
            // service is registered (row and etcd key), or a client could be sent to a process nobody can see.
            String key = registrationKey(process);
            if (stack.etcdValue(key).isEmpty()) {
                unregisteredWhenServing.add(process.name() + ": no " + key);
            }
            if (stack.services().find(host(process), process.kind().binary()).isEmpty()) {
                unregisteredWhenServing.add(process.name() + ": no services row");
            }
            System.out.println(process.name() + " SERVING " + took.toMillis() + " ms after launch");
        }
        Duration took = api.awaitReady(START_DEADLINE);
        System.out.println("api answering " + took.toMillis() + " ms after launch");
        // api-svc has no health service and its REST server answers before its start-up listener registers it.
        Eventually.await(Duration.ofSeconds(30), "api to register in etcd", () -> stack.etcdValue(registrationKey(api))
                .isPresent());
    }

    @AfterAll
    static void stopTheStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyGrpcServiceIsServing() {
        for (ServiceProcess process : grpcServers()) {
            assertEquals(ServingStatus.SERVING, process.healthStatus(), process.name());
        }
    }

    @Test
    void theApiAnswersVersionDiscoveryAsCinderDoes() {
        // GET / is 300 Multiple Choices and GET /v3/ is 200, both with the versions document, which clients read
        // (the maximum microversion) before anything else.
        HttpResponse<String> root = api.httpGet("/");
        assertEquals(300, root.statusCode(), root.body());
        assertTrue(root.body().contains("\"versions\""), root.body());
        HttpResponse<String> v3 = api.httpGet("/v3/");
        assertEquals(200, v3.statusCode(), v3.body());
        assertTrue(v3.body().contains("\"id\":\"v3.0\""), v3.body());
    }

    @Test
    void healthTurnedServingOnlyOnceTheServiceWasRegistered() {
        assertEquals(List.of(), unregisteredWhenServing);
    }

    @Test
    void everyServiceIsRegisteredInEtcdUnderTheDocumentedKeys() {
        // The raw keys of ARCHITECTURE.md ("etcd layout"), read without Tandem's key builder.
        for (ServiceProcess process : all()) {
            String key = registrationKey(process);
            assertTrue(stack.etcdValue(key).isPresent(), key + " missing\n" + process.diagnostics());
        }

        // The values, decoded as the other services decode them.
        for (ServiceProcess process : List.of(scheduler, replication)) {
            List<ServiceInfo> live =
                    stack.membership().liveServices(process.kind().binary());
            assertEquals(1, live.size(), live.toString());
            assertEquals(process.name(), live.get(0).host());
            assertEquals(process.kind().binary(), live.get(0).binary());
            assertEquals("127.0.0.1:" + process.port(), live.get(0).grpcAddress());
        }
        List<ServiceInfo> apis = stack.membership().liveServices("api");
        assertEquals(List.of("api"), apis.stream().map(ServiceInfo::host).toList());

        ClusterRow cluster = stack.clusters().find(CLUSTER, "volume").orElseThrow();
        Map<String, MemberInfo> members = stack.membership().liveMembers(CLUSTER).members().stream()
                .collect(Collectors.toMap(MemberInfo::host, m -> m, (a, b) -> a, TreeMap::new));
        assertEquals(Set.of("node1@fs1", "node2@fs1", "node3@fs1"), members.keySet());
        for (ServiceProcess node : nodes) {
            MemberInfo member = members.get(node.name() + "@" + BACKEND);
            assertEquals(CLUSTER, member.cluster());
            assertEquals(BACKEND, member.backend());
            assertEquals("127.0.0.1:" + node.port(), member.grpcAddress());
            // A member advertises what the (authoritative) cluster row says it serves: a new cluster, the primary.
            assertEquals(cluster.epoch(), member.epoch());
            assertNull(member.activeBackendId());
        }
    }

    @Test
    void everyServiceHasItsRowAndTheClusterRowExistsOnce() {
        Set<List<String>> rows =
                stack.services().list().stream().map(DevStackTest::describe).collect(Collectors.toSet());
        assertEquals(
                Set.of(
                        List.of("scheduler", "scheduler", "-"),
                        List.of("replication", "replication", "-"),
                        List.of("api", "api", "-"),
                        List.of("node1@fs1", "volume", CLUSTER),
                        List.of("node2@fs1", "volume", CLUSTER),
                        List.of("node3@fs1", "volume", CLUSTER)),
                rows);
        assertEquals(6, stack.services().list().size(), "one row per service, no duplicates");

        // Three members raced to create it; exactly one row, in its initial state.
        List<ClusterRow> clusters = stack.clusters().list();
        assertEquals(1, clusters.size(), clusters.toString());
        ClusterRow cluster = clusters.get(0);
        assertEquals(CLUSTER, cluster.name());
        assertEquals("volume", cluster.binary());
        assertFalse(cluster.frozen());
        assertFalse(cluster.disabled());
    }

    @Test
    void concurrentStartsAppliedEveryMigrationExactlyOnce() throws SQLException {
        try (Connection c = stack.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history"
                        + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                assertTrue(rs.getBoolean("success"), "migration " + rs.getString("version") + " failed");
                versions.add(rs.getString("version"));
            }
            assertFalse(versions.isEmpty(), "no migration recorded");
            assertEquals(Set.copyOf(versions).size(), versions.size(), "a migration applied twice: " + versions);
        }
    }

    @Test
    void reflectionListsEachServersOwnServiceHealthAndBothReflectionVersions() {
        Map<ServiceProcess, String> own = Map.of(
                scheduler, "tandem.v1.SchedulerService",
                replication, "tandem.v1.ReplicationService");
        Map<ServiceProcess, String> expected = new HashMap<>(own);
        nodes.forEach(n -> expected.put(n, "tandem.v1.VolumeService"));
        Set<String> tandemServices =
                Set.of("tandem.v1.SchedulerService", "tandem.v1.ReplicationService", "tandem.v1.VolumeService");

        for (Map.Entry<ServiceProcess, String> entry : expected.entrySet()) {
            ServiceProcess server = entry.getKey();
            List<String> listed = Grpc.listServices(server.channel());
            String message = server.name() + " lists " + listed;
            assertTrue(listed.contains(entry.getValue()), message);
            assertTrue(listed.contains("grpc.health.v1.Health"), message);
            // v1 for current grpcurl, v1alpha for older releases.
            assertTrue(listed.contains("grpc.reflection.v1.ServerReflection"), message);
            assertTrue(listed.contains("grpc.reflection.v1alpha.ServerReflection"), message);
            for (String other : tandemServices) {
                if (!other.equals(entry.getValue())) {
                    assertFalse(listed.contains(other), message + ": must not serve " + other);
                }
            }
            // `grpcurl describe` works: the server returns the descriptor file that declares its service.
            assertTrue(
                    Grpc.servicesDescribedBy(server.channel(), entry.getValue()).contains(entry.getValue()),
                    server.name() + " does not describe " + entry.getValue());
        }
    }

    @Test
    void thePromoteRpcsAreBuiltAndRefuseAnEmptyRequestWithAReason() {
        // The last RPCs to be built (promote): an empty request is refused for what it lacks, never UNIMPLEMENTED.
        assertRefused(replication, Status.Code.INVALID_ARGUMENT, ch -> ReplicationServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .promote(PromoteRequest.getDefaultInstance()));
        assertRefused(nodes.get(0), Status.Code.FAILED_PRECONDITION, ch -> VolumeServiceGrpc.newBlockingStub(ch)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .updateHostReplication(VolumeServiceUpdateHostReplicationRequest.getDefaultInstance()));
    }

    @Test
    void responsesCarryTheRequestIdEchoingAWellFormedOne() {
        for (ServiceProcess server : grpcServers()) {
            // A well-formed id from the caller (api-svc forwards the REST request's) comes back unchanged.
            String sent = "req-" + UUID.randomUUID();
            assertEquals(sent, requestIdOfHealthCheck(server, sent), server.name());

            // Without one, the server makes one in OpenStack's shape, so that a grpcurl user can quote it.
            String generated = requestIdOfHealthCheck(server, null);
            assertNotNull(generated, server.name() + " sent no x-openstack-request-id");
            assertTrue(REQUEST_ID.matcher(generated).matches(), server.name() + " generated " + generated);

            // An id of another shape is replaced, so that log lines never carry arbitrary client text.
            String replaced = requestIdOfHealthCheck(server, "not-a-request-id");
            assertNotNull(replaced, server.name() + " sent no x-openstack-request-id");
            assertNotEquals("not-a-request-id", replaced, server.name());
            assertTrue(REQUEST_ID.matcher(replaced).matches(), server.name() + " replaced it with " + replaced);
        }
    }

    @Test
    void errorResponsesCarryTheRequestIdToo() {
        for (ServiceProcess server : grpcServers()) {
            String sent = "req-" + UUID.randomUUID();
            // A health check of a service nobody serves: an error every server answers, now and later.
            Grpc.Exchange exchange =
                    Grpc.exchange(server.channel(), Grpc.requestId(sent), ch -> HealthGrpc.newBlockingStub(ch)
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.newBuilder()
                                    .setService("tandem.v1.NoSuchService")
                                    .build()));
            StatusRuntimeException error = assertInstanceOf(
                    StatusRuntimeException.class, exchange.result(), server.name() + " answered " + exchange.result());
            assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode(), server.name() + ": " + error.getStatus());
            // An error is when an operator most needs the id, to find the server's log lines. gRPC sends an error that
            // comes before any response headers as trailers only, so the id may be in either.
            String returned = exchange.headers() != null && exchange.headers().containsKey(Grpc.REQUEST_ID)
                    ? exchange.headers().get(Grpc.REQUEST_ID)
                    : exchange.trailers() == null ? null : exchange.trailers().get(Grpc.REQUEST_ID);
            assertEquals(sent, returned, server.name() + ": the error carries no x-openstack-request-id");
        }
    }

    private static String requestIdOfHealthCheck(ServiceProcess server, String sent) {
        Grpc.Exchange exchange =
                Grpc.exchange(server.channel(), Grpc.requestId(sent), ch -> HealthGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()));
        if (exchange.result() instanceof StatusRuntimeException e) {
            throw new AssertionError(server.name() + ": health check failed: " + e.getStatus(), e);
        }
        return exchange.headers() == null ? null : exchange.headers().get(Grpc.REQUEST_ID);
    }

    private static void assertRefused(ServiceProcess server, Status.Code expected, Function<Channel, ?> call) {
        StatusRuntimeException error = assertThrows(
                StatusRuntimeException.class, () -> call.apply(server.channel()), server.name() + " answered OK");
        assertEquals(expected, error.getStatus().getCode(), server.name() + ": " + error.getStatus());
        assertTrue(
                error.getStatus().getDescription() != null
                        && !error.getStatus().getDescription().isBlank(),
                server.name() + " gave no reason: " + error.getStatus());
    }

    /** The key ARCHITECTURE.md documents for it, relative to the prefix. */
    private static String registrationKey(ServiceProcess process) {
        return process.kind() == ServiceKind.VOLUME
                ? "members/" + CLUSTER + "/" + host(process)
                : "services/" + process.kind().binary() + "/" + host(process);
    }

    /** The host it registers as: Cinder's {@code <node>@<backend>} for volume nodes, else its name. */
    private static String host(ServiceProcess process) {
        return process.kind() == ServiceKind.VOLUME ? process.name() + "@" + BACKEND : process.name();
    }

    private static List<String> describe(ServiceRow row) {
        return List.of(row.host(), row.binary(), row.clusterName() == null ? "-" : row.clusterName());
    }

    private static List<ServiceProcess> grpcServers() {
        List<ServiceProcess> servers = new ArrayList<>(List.of(scheduler, replication));
        servers.addAll(nodes);
        return servers;
    }

    private static List<ServiceProcess> all() {
        List<ServiceProcess> all = grpcServers();
        all.add(api);
        return all;
    }
}
