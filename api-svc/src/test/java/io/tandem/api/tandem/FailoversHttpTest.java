package io.tandem.api.tandem;

import static io.tandem.api.ApiServer.assertHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.tandem.api.AgainstFakeBackend;
import io.tandem.api.ApiServer;
import io.tandem.api.ApiServer.Response;
import io.tandem.api.ApiServer.Token;
import io.tandem.api.FakeReplication;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverKind;
import io.tandem.proto.v1.FailoverMember;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.GetFailoverResponse;
import io.tandem.proto.v1.ListFailoversRequest;
import io.tandem.proto.v1.ListFailoversResponse;
import io.tandem.proto.v1.TargetScope;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The failover journal routes over HTTP against a fake replication-svc: the row's shape, limit and marker over the
 * opaque page tokens, each documented error, admin only, at every microversion, with and without a project id.
 */
class FailoversHttpTest extends AgainstFakeBackend<FakeReplication> {
    private static final Failover COMPLETED = Failover.newBuilder()
            .setId(42)
            .setKind(FailoverKind.FAILOVER_KIND_FAILOVER)
            .setScope(TargetScope.TARGET_SCOPE_CLUSTER)
            .setTarget("cluster1@fs1")
            .setToBackendId("secondary")
            .setEpoch(2)
            .setPhase(FailoverPhase.FAILOVER_PHASE_COMPLETED)
            .setRequestedBy("admin")
            .setRequestId("req-4d6c2a9e-8f0b-4b43-9a7e-0c7f3f1f0b21")
            .setClaimedAt(time("2026-11-22T09:30:00.104512Z"))
            .setPromotedAt(time("2026-11-22T09:30:01.388120Z"))
            .setCommittedAt(time("2026-11-22T09:30:01.902733Z"))
            .setCompletedAt(time("2026-11-22T09:30:02.416990Z"))
            .setDuration(Duration.newBuilder().setSeconds(2).setNanos(312_478_000))
            .setPromoterHost("node1@fs1")
            .addMembers(FailoverMember.newBuilder()
                    .setHost("node1@fs1")
                    .setAckedEpoch(2)
                    .setAckedAt(time("2026-11-22T09:30:02.101210Z"))
                    .setAttempts(1))
            .addMembers(FailoverMember.newBuilder()
                    .setHost("node3@fs1")
                    .setAttempts(5)
                    .setError("member node3@fs1 did not answer: deadline exceeded")
                    .setFenced(true))
            .build();
    private static final Failover RUNNING = Failover.newBuilder()
            .setId(44)
            .setKind(FailoverKind.FAILOVER_KIND_FAILBACK)
            .setScope(TargetScope.TARGET_SCOPE_HOST)
            .setTarget("solo@fs9")
            .setFromBackendId("secondary")
            .setPhase(FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS)
            .setOwner("ctl1")
            .setRequestedBy("unknown")
            .setRequestId("req-7f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
            .setClaimedAt(time("2026-11-22T11:00:00Z"))
            .setError("members fenced after 5 attempts: node3@fs1")
            .build();

    private final ApiServer members = startWithTokens(new Token("mem-secret", "bob", "p1", "member"));

    FailoversHttpTest() {
        super(new FakeReplication());
    }

    // --- GET tandem/failovers/{id}

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void showsOneRowWithItsMembers(String prefix) {
        fake.answer(
                "GetFailover",
                GetFailoverResponse.newBuilder().setFailover(COMPLETED).build());
        Response response = api.request("GET", prefix + "/tandem/failovers/42").send();
        assertEquals(200, response.status, response.toString());
        assertHeaders(response, "3.0");
        Map<String, Object> failover = new LinkedHashMap<>();
        failover.put("id", 42);
        failover.put("kind", "failover");
        failover.put("scope", "cluster");
        failover.put("target", "cluster1@fs1");
        failover.put("from_backend_id", null);
        failover.put("to_backend_id", "secondary");
        failover.put("epoch", 2);
        failover.put("phase", "completed");
        failover.put("owner", null);
        failover.put("requested_by", "admin");
        failover.put("request_id", "req-4d6c2a9e-8f0b-4b43-9a7e-0c7f3f1f0b21");
        failover.put("claimed_at", "2026-11-22T09:30:00.104512");
        failover.put("promoted_at", "2026-11-22T09:30:01.388120");
        failover.put("committed_at", "2026-11-22T09:30:01.902733");
        failover.put("completed_at", "2026-11-22T09:30:02.416990");
        failover.put("duration_ms", 2312);
        failover.put("error", null);
        Map<String, Object> acked = new LinkedHashMap<>();
        acked.put("host", "node1@fs1");
        acked.put("acked_epoch", 2);
        acked.put("acked_at", "2026-11-22T09:30:02.101210");
        acked.put("attempts", 1);
        acked.put("error", null);
        acked.put("fenced", false);
        Map<String, Object> fenced = new LinkedHashMap<>();
        fenced.put("host", "node3@fs1");
        fenced.put("acked_epoch", 0);
        fenced.put("acked_at", null);
        fenced.put("attempts", 5);
        fenced.put("error", "member node3@fs1 did not answer: deadline exceeded");
        fenced.put("fenced", true);
        failover.put("members", List.of(acked, fenced));
        failover.put("new_targets", null); // a promote's alone
        assertEquals(Map.of("failover", failover), response.json());
        assertEquals(
                GetFailoverRequest.newBuilder().setId(42).build(),
                fake.only("GetFailover").request());
    }

    @Test
    void unsetValuesAreNullAndEnumsAreSpelledWithDashes() {
        fake.answer(
                "GetFailover",
                GetFailoverResponse.newBuilder().setFailover(RUNNING).build());
        Response response =
                api.request("GET", "/v3/p1/tandem/failovers/44").version("3.26").send();
        assertEquals(200, response.status, response.toString());
        assertHeaders(response, "3.26");
        @SuppressWarnings("unchecked")
        Map<String, Object> failover = (Map<String, Object>) response.json().get("failover");
        assertEquals("failback", failover.get("kind"));
        assertEquals("host", failover.get("scope"));
        assertEquals("completed-with-fenced-members", failover.get("phase"));
        assertEquals("secondary", failover.get("from_backend_id"));
        assertEquals("ctl1", failover.get("owner"));
        for (String key :
                List.of("to_backend_id", "promoted_at", "committed_at", "completed_at", "duration_ms", "new_targets")) {
            assertTrue(failover.containsKey(key), key);
            assertEquals(null, failover.get(key), key);
        }
        assertEquals(List.of(), failover.get("members"));
        assertEquals(19, failover.size(), failover.keySet().toString());
    }

    @Test
    void theIdMustBeAPositiveInteger() {
        for (String id : List.of("0", "-1", "abc", "1.5", "99999999999999999999")) {
            Response response =
                    api.request("GET", "/v3/p1/tandem/failovers/" + id).send();
            assertEquals(400, response.status, id + " " + response);
            assertEquals("Invalid input received: id must be a positive integer.", response.fault("badRequest"));
        }
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    @Test
    void anUnknownIdIs404() {
        fake.fail("GetFailover", Status.NOT_FOUND.withDescription("Failover 9 could not be found."));
        Response response = api.request("GET", "/v3/tandem/failovers/9").send();
        assertEquals(404, response.status, response.toString());
        assertEquals("Failover 9 could not be found.", response.fault("itemNotFound"));
    }

    // --- GET tandem/failovers

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void theFirstPageIsOneCallAndLinksTheNext(String prefix) {
        fake.answer(
                "ListFailovers",
                ListFailoversResponse.newBuilder()
                        .addFailovers(RUNNING)
                        .addFailovers(COMPLETED)
                        .setNextPageToken("opaque")
                        .build());
        Response response = api.request("GET", prefix + "/tandem/failovers?target=cluster1%40fs1&limit=2")
                .send();
        assertEquals(200, response.status, response.toString());
        assertHeaders(response, "3.0");
        Map<String, Object> body = response.json();
        assertEquals(List.of(44, 42), ids(body));
        assertLink(body, prefix + "/tandem/failovers?target=cluster1%40fs1&limit=2&marker=42");
        assertEquals(
                ListFailoversRequest.newBuilder()
                        .setTarget("cluster1@fs1")
                        .setPageSize(2)
                        .build(),
                fake.only("ListFailovers").request());
    }

    @Test
    void theLastPageHasNoLinks() {
        fake.answer(
                "ListFailovers",
                ListFailoversResponse.newBuilder().addFailovers(COMPLETED).build());
        Map<String, Object> body = api.request("GET", "/v3/p1/tandem/failovers?unfinished=Yes")
                .send()
                .json();
        assertEquals(List.of(42), ids(body));
        assertFalse(body.containsKey("failovers_links"), body.toString());
        assertEquals(
                ListFailoversRequest.newBuilder()
                        .setUnfinishedOnly(true)
                        .setPageSize(50)
                        .build(),
                fake.only("ListFailovers").request());
    }

    @Test
    void anEmptyJournalIsAnEmptyArray() {
        assertEquals(
                Map.of("failovers", List.of()),
                api.request("GET", "/v3/tandem/failovers").send().json());
    }

    @Test
    void limitDefaultsTo50AndStopsAt500() {
        for (String[] limit : List.of(
                new String[] {"", "50"},
                new String[] {"?limit=0", "50"},
                new String[] {"?limit=7", "7"},
                new String[] {"?limit=500", "500"},
                new String[] {"?limit=501", "500"},
                new String[] {"?limit=99999999999999999999", "500"},
                new String[] {"?unfinished=false&target=", "50"})) {
            fake.reset();
            assertEquals(
                    200, api.request("GET", "/v3/tandem/failovers" + limit[0]).send().status, limit[0]);
            assertEquals(
                    ListFailoversRequest.newBuilder()
                            .setPageSize(Integer.parseInt(limit[1]))
                            .build(),
                    fake.only("ListFailovers").request(),
                    limit[0]);
        }
    }

    @Test
    void aMarkerContinuesBelowItAcrossTheBackendsPages() {
        fake.answerWith("ListFailovers", request -> journal((ListFailoversRequest) request, 1200));
        // Within the backend's first page: 899, 898, 897, and more follow.
        Map<String, Object> near = api.request("GET", "/v3/p1/tandem/failovers?marker=900&limit=3&unfinished=0")
                .send()
                .json();
        assertEquals(List.of(899, 898, 897), ids(near));
        assertLink(near, "/v3/p1/tandem/failovers?unfinished=0&limit=3&marker=897");
        List<FakeReplication.Call> calls = fake.calls("ListFailovers");
        assertEquals(1, calls.size());
        assertEquals(
                ListFailoversRequest.newBuilder().setPageSize(500).build(),
                calls.get(0).request());

        // Spanning the second and third backend pages: 249 down to 150, and more follow.
        fake.reset();
        fake.answerWith("ListFailovers", request -> journal((ListFailoversRequest) request, 1200));
        Map<String, Object> deep = api.request("GET", "/v3/tandem/failovers?marker=250&limit=100")
                .send()
                .json();
        assertEquals(IntStream.iterate(249, i -> i >= 150, i -> i - 1).boxed().toList(), ids(deep));
        assertLink(deep, "/v3/tandem/failovers?limit=100&marker=150");
        assertEquals(3, fake.calls("ListFailovers").size());

        // To the end of the journal: no link.
        Map<String, Object> tail = api.request("GET", "/v3/tandem/failovers?marker=300&limit=500")
                .send()
                .json();
        assertEquals(299, ids(tail).size());
        assertEquals(1, ids(tail).get(298));
        assertFalse(tail.containsKey("failovers_links"), tail.keySet().toString());

        // A marker that names no row is still a bound; one above every id is the first page.
        Map<String, Object> above = api.request("GET", "/v3/tandem/failovers?marker=5000&limit=2")
                .send()
                .json();
        assertEquals(List.of(1200, 1199), ids(above));
    }

    @Test
    void aPageFilledByTheLastRowOfABackendPageLinksTheNextWhenATokenFollows() {
        fake.answerWith("ListFailovers", request -> journal((ListFailoversRequest) request, 1200));
        // The backend's first page ends with 701, the one row below 702; its token says more rows follow.
        Map<String, Object> body = api.request("GET", "/v3/tandem/failovers?marker=702&limit=1")
                .send()
                .json();
        assertEquals(List.of(701), ids(body));
        assertLink(body, "/v3/tandem/failovers?limit=1&marker=701");
        assertEquals(1, fake.calls("ListFailovers").size());

        fake.reset();
        fake.answerWith("ListFailovers", request -> journal((ListFailoversRequest) request, 4));
        // The backend's only page holds 4..1 and no token: marker 3, limit 2 is 2, 1 and nothing more.
        Map<String, Object> last = api.request("GET", "/v3/tandem/failovers?marker=3&limit=2")
                .send()
                .json();
        assertEquals(List.of(2, 1), ids(last));
        assertFalse(last.containsKey("failovers_links"));
    }

    @Test
    void invalidQueryValuesAre400() {
        assertListError("limit=-1", "Invalid input received: limit must not be negative.");
        assertListError("limit=ten", "Invalid input received: limit must be an integer.");
        assertListError("marker=0", "Invalid input received: marker must be a positive integer.");
        assertListError("marker=abc", "Invalid input received: marker must be a positive integer.");
        assertListError("unfinished=maybe", "Invalid value 'maybe' for unfinished: must be a boolean.");
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    @Test
    void theBackendsErrorsGoThroughTheTable() {
        fake.fail("ListFailovers", Status.UNAVAILABLE.withDescription("PostgreSQL unreachable"));
        assertEquals(503, api.request("GET", "/v3/tandem/failovers").send().status);
        fake.fail("ListFailovers", Status.INVALID_ARGUMENT.withDescription("page_size must not be negative."));
        assertEquals(400, api.request("GET", "/v3/tandem/failovers").send().status);
    }

    // --- access and versions

    @Test
    void theJournalIsAdminOnly() {
        for (String[] route : List.of(
                new String[] {"/v3/p1/tandem/failovers", "tandem:failovers:get_all"},
                new String[] {"/v3/tandem/failovers", "tandem:failovers:get_all"},
                new String[] {"/v3/p1/tandem/failovers/42", "tandem:failovers:get"},
                new String[] {"/v3/tandem/failovers/42", "tandem:failovers:get"})) {
            Response response = members.request("GET", route[0])
                    .header("X-Auth-Token", "mem-secret")
                    .send();
            assertEquals(403, response.status, route[0] + " " + response);
            assertEquals("Policy doesn't allow " + route[1] + " to be performed.", response.fault("forbidden"));
        }
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    @Test
    void theJournalExistsAtEveryMicroversion() {
        fake.answer(
                "GetFailover",
                GetFailoverResponse.newBuilder().setFailover(COMPLETED).build());
        for (String version : List.of("3.0", "3.6", "3.7", "3.23", "3.24", "3.25", "3.26")) {
            Response list = api.request("GET", "/v3/p1/tandem/failovers")
                    .version(version)
                    .send();
            assertEquals(200, list.status, version);
            assertHeaders(list, version);
            assertEquals(
                    200,
                    api.request("GET", "/v3/tandem/failovers/42")
                            .version(version)
                            .send()
                            .status,
                    version);
        }
    }

    // --- helpers

    /** A journal of ids {@code size} down to 1, paged as replication-svc does, with tokens of the fake's own. */
    private static ListFailoversResponse journal(ListFailoversRequest request, long size) {
        int pageSize = request.getPageSize() == 0 ? 50 : Math.min(request.getPageSize(), 500);
        long below = request.getPageToken().isEmpty()
                ? size + 1
                : Long.parseLong(request.getPageToken().substring("fake-".length()));
        ListFailoversResponse.Builder page = ListFailoversResponse.newBuilder();
        for (long id = below - 1; id >= 1 && page.getFailoversCount() < pageSize; id--) {
            page.addFailovers(COMPLETED.toBuilder().setId(id));
        }
        long last = page.getFailoversCount() == 0
                ? 1
                : page.getFailovers(page.getFailoversCount() - 1).getId();
        if (last > 1) {
            page.setNextPageToken("fake-" + last);
        }
        return page.build();
    }

    private static Timestamp time(String iso) {
        Instant instant = Instant.parse(iso);
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> ids(Map<String, Object> body) {
        return ((List<Map<String, Object>>) body.get("failovers"))
                .stream().map(f -> ((Number) f.get("id")).intValue()).toList();
    }

    /** One {@code next} link to this server (the request's Host) with {@code pathAndQuery}. */
    @SuppressWarnings("unchecked")
    private static void assertLink(Map<String, Object> body, String pathAndQuery) {
        List<Map<String, Object>> links = (List<Map<String, Object>>) body.get("failovers_links");
        assertEquals(1, links.size(), body.toString());
        assertEquals(Set.of("rel", "href"), links.get(0).keySet());
        assertEquals("next", links.get(0).get("rel"));
        String href = (String) links.get(0).get("href");
        assertTrue(href.matches("http://127\\.0\\.0\\.1:[0-9]+" + Pattern.quote(pathAndQuery)), href);
    }

    private void assertListError(String query, String message) {
        Response response =
                api.request("GET", "/v3/p1/tandem/failovers?" + query).send();
        assertEquals(400, response.status, query + " " + response);
        assertEquals(message, response.fault("badRequest"), query);
    }
}
