package io.tandem.systemtests;

import io.tandem.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system behind api-svc, as real processes on one {@link Stack}: scheduler-svc, replication-svc, the
 * replicated cluster {@value #CLUSTER} of three volume nodes ({@code r1..r3@fs}) on the shared-filesystem driver, one
 * replication target with backend id {@value #SECONDARY}, and api-svc in {@code noauth} mode pointing at
 * the two gRPC services. Optionally a second api-svc in {@code token} mode with {@link #TOKENS}.
 *
 * <pre>{@code
 * static RestStack system;
 * @BeforeAll static void start() { system = RestStack.start(MyTest.class, true); }
 * @AfterAll static void stop() { if (system != null) system.close(); }
 * ... system.rest("P").get("/v3/P/clusters/detail", "3.26") ...
 * ... system.cinder("P").run("cluster-list", "--detailed") ...
 * }</pre>
 */
final class RestStack implements AutoCloseable {
    static final String CLUSTER = "rest@fs";
    static final String BACKEND = "fs";
    static final List<String> NODES = List.of("r1", "r2", "r3");
    static final String SECONDARY = "secondary";
    /** Seven JVMs start at once on two cores; each takes 4–8 s alone, so allow for a slow machine. */
    static final Duration START_DEADLINE = Duration.ofSeconds(180);

    /** A configured token of the token-mode api-svc ({@code tandem.api.auth.tokens[i]}); roles comma-separated. */
    record Token(String token, String user, String project, String roles) {}

    static final Token ADMIN = new Token("tok-admin", "root", "ops", "admin");
    static final Token MEMBER = new Token("tok-alice", "alice", "project-a", "member");
    static final Token OTHER_MEMBER = new Token("tok-bob", "bob", "project-b", "member");
    static final List<Token> TOKENS = List.of(ADMIN, MEMBER, OTHER_MEMBER);

    private final Stack stack;
    private final Db db;
    private final ServiceProcess scheduler;
    private final ServiceProcess replication;
    private final Map<String, ServiceProcess> nodes;
    private final ServiceProcess api;
    private final ServiceProcess tokenApi;

    private RestStack(
            Stack stack,
            ServiceProcess scheduler,
            ServiceProcess replication,
            Map<String, ServiceProcess> nodes,
            ServiceProcess api,
            ServiceProcess tokenApi) {
        this.stack = stack;
        this.db = new Db(stack.dataSource());
        this.scheduler = scheduler;
        this.replication = replication;
        this.nodes = nodes;
        this.api = api;
        this.tokenApi = tokenApi;
    }

    /**
     * Starts everything at once and waits until every process is ready and every member of {@value #CLUSTER} is live
     * in etcd; {@code withTokenApi} adds the token-mode api-svc. On failure, stops what it started.
     */
    static RestStack start(Class<?> testClass, boolean withTokenApi) {
        Stack stack = Stack.create(testClass);
        try {
            ServiceProcess scheduler = stack.start("scheduler", ServiceKind.SCHEDULER);
            ServiceProcess replication = stack.start("replication", ServiceKind.REPLICATION);
            Map<String, ServiceProcess> nodes = new LinkedHashMap<>();
            for (String node : NODES) {
                nodes.put(node, startNode(stack, node, node));
            }
            Map<String, String> backends = Map.of(
                    "TANDEM_API_SCHEDULER_ADDRESS", "127.0.0.1:" + scheduler.port(),
                    "TANDEM_API_REPLICATION_ADDRESS", "127.0.0.1:" + replication.port());
            Map<String, String> noauth = new LinkedHashMap<>(backends);
            noauth.put("TANDEM_API_AUTH_STRATEGY", "noauth");
            ServiceProcess api = stack.start("api", "api", ServiceKind.API, noauth);
            ServiceProcess tokenApi = null;
            if (withTokenApi) {
                Map<String, String> token = new LinkedHashMap<>(backends);
                token.put("TANDEM_API_AUTH_STRATEGY", "token");
                for (int i = 0; i < TOKENS.size(); i++) {
                    Token t = TOKENS.get(i);
                    String prefix = "TANDEM_API_AUTH_TOKENS_" + i + "__";
                    token.put(prefix + "TOKEN", t.token());
                    token.put(prefix + "USER", t.user());
                    token.put(prefix + "PROJECT", t.project());
                    token.put(prefix + "ROLES", t.roles());
                }
                tokenApi = stack.start("api-token", "api-token", ServiceKind.API, token);
            }
            RestStack system = new RestStack(stack, scheduler, replication, nodes, api, tokenApi);
            system.processes().forEach(p -> p.awaitReady(START_DEADLINE));
            Eventually.await(
                    START_DEADLINE,
                    "every member of " + CLUSTER + " live in etcd",
                    () -> stack.membership().liveMembers(CLUSTER).members().size() == NODES.size());
            return system;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    /** Node {@code <node>@fs} of {@value #CLUSTER}: shared-filesystem driver, one target {@value #SECONDARY}. */
    private static ServiceProcess startNode(Stack stack, String name, String node) {
        Map<String, String> env = new LinkedHashMap<>();
        // The shared-filesystem driver: one backend every member sees, as in production, so any member can extend or
        // delete what another created (in-memory members, being processes, would each hold their own volumes).
        env.put("TANDEM_VOLUME_DRIVER", "shared-filesystem");
        env.put("TANDEM_VOLUME_REPLICATION_TARGETS_0__BACKEND_ID", SECONDARY);
        env.put(
                "TANDEM_VOLUME_REPLICATION_TARGETS_0__LOCATION",
                stack.siteDirectory(CLUSTER + "-" + SECONDARY).toString());
        env.put("TANDEM_VOLUME_REPLICATION_INTERVAL", "300ms");
        return stack.startVolumeNode(name, node, CLUSTER, BACKEND, env);
    }

    Stack stack() {
        return stack;
    }

    /** Plain SQL on the stack's database, to check what the services wrote. */
    Db db() {
        return db;
    }

    ServiceProcess scheduler() {
        return scheduler;
    }

    ServiceProcess replication() {
        return replication;
    }

    /** The volume nodes by name (r1, r2, r3); their hosts are {@code <name>@fs}. */
    Map<String, ServiceProcess> nodes() {
        return nodes;
    }

    /** The noauth api-svc. */
    ServiceProcess api() {
        return api;
    }

    /** The token-mode api-svc; fails when the stack was started without it. */
    ServiceProcess tokenApi() {
        if (tokenApi == null) {
            throw new IllegalStateException("started without the token-mode api-svc: RestStack.start(cls, true)");
        }
        return tokenApi;
    }

    /** A client of the noauth api-svc sending no token. */
    Rest anonymous() {
        return new Rest(api.port());
    }

    /** A client of the noauth api-svc as admin of {@code project}: {@code X-Auth-Token: admin:<project>}. */
    Rest rest(String project) {
        return anonymous().withToken("admin:" + project);
    }

    /** A client of the token-mode api-svc with {@code token} ({@code null}: none). */
    Rest tokenRest(Token token) {
        return new Rest(tokenApi().port()).withToken(token == null ? null : token.token());
    }

    /** The {@code cinder} CLI against the noauth api-svc, as admin of {@code project}, at 3.26. */
    Cinder cinder(String project) {
        return new Cinder(api.port(), project, stack.logDirectory());
    }

    /** Every process started here. */
    List<ServiceProcess> processes() {
        List<ServiceProcess> all = new ArrayList<>(List.of(scheduler, replication));
        all.addAll(nodes.values());
        all.add(api);
        if (tokenApi != null) {
            all.add(tokenApi);
        }
        return all;
    }

    /** Every process's log tails, for a failure message. */
    String diagnostics() {
        return stack.diagnostics();
    }

    @Override
    public void close() {
        stack.close();
    }
}
