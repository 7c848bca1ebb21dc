package io.tandem.api.volumes;

import static io.tandem.api.ApiServer.assertHeaders;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.tandem.api.AgainstFakeBackend;
import io.tandem.api.ApiServer;
import io.tandem.api.ApiServer.Response;
import io.tandem.api.ApiServer.Token;
import io.tandem.api.FakeScheduler;
import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.CreateVolumeResponse;
import io.tandem.proto.v1.DeleteVolumeRequest;
import io.tandem.proto.v1.DeleteVolumeResponse;
import io.tandem.proto.v1.ExtendVolumeRequest;
import io.tandem.proto.v1.GetVolumeRequest;
import io.tandem.proto.v1.GetVolumeResponse;
import io.tandem.proto.v1.ListVolumesRequest;
import io.tandem.proto.v1.ListVolumesResponse;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.SortDirection;
import io.tandem.proto.v1.Volume;
import io.tandem.proto.v1.VolumeSortKey;
import io.tandem.proto.v1.VolumeStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The volume routes over HTTP against a fake scheduler-svc: what each route sends to gRPC, what it answers, each
 * documented error, and the project scoping of members and admins (noauth admin {@code admin:p1}; token mode with an
 * admin of project ops and a member of project p2). Each route is exercised with and without a project id in the path.
 */
class VolumesHttpTest extends AgainstFakeBackend<FakeScheduler> {
    private static final String ID = "5aa119a8-d25b-45a7-8d1b-88e127885635";
    private static final String OTHER = "9b3f8bd5-2a3c-4ab5-b3b4-6a2a0f3c1d7e";
    private static final String FROZEN = "Modification operations are not allowed on frozen storage backends.";
    private static final Volume AVAILABLE = Volume.newBuilder()
            .setId(ID)
            .setProjectId("p1")
            .setUserId("admin")
            .setName("x")
            .setSizeGb(1)
            .setStatus(VolumeStatus.VOLUME_STATUS_AVAILABLE)
            .setClusterName("cluster1@fs1")
            .setHost("node2@fs1")
            .setReplicationStatus(ReplicationStatus.REPLICATION_STATUS_ENABLED)
            .setProviderLocation("/srv/site-a/volume-" + ID)
            .setCreatedAt(Timestamp.newBuilder().setSeconds(1_795_339_200L)) // 2026-11-22T09:20:00Z
            .setUpdatedAt(Timestamp.newBuilder().setSeconds(1_795_339_201L).setNanos(250_000_000))
            .build();
    private static final Volume UNNAMED = Volume.newBuilder()
            .setId(OTHER)
            .setProjectId("p2")
            .setUserId("bob")
            .setSizeGb(3)
            .setStatus(VolumeStatus.VOLUME_STATUS_ERROR_DELETING)
            .setCreatedAt(Timestamp.newBuilder().setSeconds(1_795_339_100L))
            .build();

    private final ApiServer tokens = startWithTokens(
            new Token("adm-secret", "root", "ops", "admin"), new Token("mem-secret", "bob", "p2", "member"));

    VolumesHttpTest() {
        super(new FakeScheduler());
    }

    @BeforeEach
    void answerWithTheSamples() {
        fake.answer(
                "GetVolume", GetVolumeResponse.newBuilder().setVolume(AVAILABLE).build());
        fake.answer(
                "ListVolumes",
                ListVolumesResponse.newBuilder()
                        .addVolumes(AVAILABLE)
                        .addVolumes(UNNAMED)
                        .build());
    }

    // --- POST /volumes

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void createAnswers202WithTheVolumeInCreating(String prefix) {
        Volume creating = AVAILABLE.toBuilder()
                .setStatus(VolumeStatus.VOLUME_STATUS_CREATING)
                .clearUpdatedAt()
                .build();
        fake.answer(
                "CreateVolume",
                CreateVolumeResponse.newBuilder().setVolume(creating).build());
        Response response = api.request("POST", prefix + "/volumes")
                .json("{\"volume\":{\"size\":1,\"name\":\"x\",\"description\":\"for tests\"}}")
                .send();
        assertEquals(202, response.status, response.toString());
        assertHeaders(response, "3.0");
        Map<String, Object> volume = volume(response);
        String base = base(volume);
        String project = prefix.equals("/v3") ? "" : "/p1";
        Map<String, Object> expected = expectedDetail(base, project, "creating", null);
        assertEquals(Map.of("volume", expected), response.json());
        assertEquals(
                CreateVolumeRequest.newBuilder()
                        .setProjectId("p1")
                        .setUserId("admin")
                        .setName("x")
                        .setDescription("for tests")
                        .setSizeGb(1)
                        .build(),
                fake.only("CreateVolume").request());
    }

    @Test
    void createAcceptsTheBodyCinderclientSends() {
        fake.answer(
                "CreateVolume",
                CreateVolumeResponse.newBuilder().setVolume(AVAILABLE).build());
        // What `cinder create 1 --name x` (python3-cinderclient 9.1) sends.
        Response response = api.request("POST", "/v3/p1/volumes")
                .json("{\"volume\":{\"size\":1,\"consistencygroup_id\":null,\"snapshot_id\":null,\"name\":\"x\","
                        + "\"description\":null,\"volume_type\":null,\"availability_zone\":null,\"metadata\":{},"
                        + "\"imageRef\":null,\"source_volid\":null,\"backup_id\":null}}")
                .send();
        assertEquals(202, response.status, response.toString());
        CreateVolumeRequest sent =
                (CreateVolumeRequest) fake.only("CreateVolume").request();
        assertEquals("x", sent.getName());
        assertEquals("", sent.getDescription());
        assertEquals(1, sent.getSizeGb());
        // The only zone, and multiattach false, are accepted too.
        assertEquals(
                202,
                api.request("POST", "/v3/p1/volumes")
                        .json("{\"volume\":{\"size\":2,\"availability_zone\":\"nova\",\"multiattach\":false,"
                                + "\"metadata\":null}}")
                        .send()
                        .status);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"snapshot_id", "source_volid", "backup_id", "imageRef", "consistencygroup_id", "volume_type"})
    void createRefusesAValueForAFeatureTandemLacks(String key) {
        Response response = api.request("POST", "/v3/p1/volumes")
                .json("{\"volume\":{\"size\":1,\"" + key + "\":\"" + OTHER + "\"}}")
                .send();
        assertEquals(400, response.status, response.toString());
        assertEquals(
                "Invalid input received: " + key
                        + " is not supported: Tandem creates blank volumes only (send null or leave it out).",
                response.fault("badRequest"));
        assertTrue(fake.calls().isEmpty());
    }

    @Test
    void createRefusesMetadataAnotherZoneAndMultiattach() {
        assertCreateRefused(
                "{\"volume\":{\"size\":1,\"metadata\":{\"k\":\"v\"}}}",
                "Invalid input received: metadata is not supported: Tandem keeps no volume metadata (send {} or"
                        + " null).");
        assertCreateRefused(
                "{\"volume\":{\"size\":1,\"availability_zone\":\"az2\"}}",
                "Invalid input received: Availability zone 'az2' is invalid.");
        assertCreateRefused(
                "{\"volume\":{\"size\":1,\"multiattach\":true}}",
                "Invalid input received: multiattach is not supported: Tandem attaches nothing.");
    }

    @Test
    void createChecksItsBody() {
        assertCreateRefused(
                "{\"volume\":{\"size\":1,\"color\":\"red\"}}",
                "Invalid input for field/attribute volume. Value: {'size': 1, 'color': 'red'}. Additional properties"
                        + " are not allowed ('color' was unexpected)");
        assertCreateRefused(
                "{\"volume\":{\"size\":1},\"OS-SCH-HNT:scheduler_hints\":{\"same_host\":\"x\"}}",
                "Additional properties are not allowed ('OS-SCH-HNT:scheduler_hints' was unexpected)");
        assertCreateRefused("{\"size\":1}", "Additional properties are not allowed ('size' was unexpected)");
        assertCreateRefused("{}", "'volume' is a required property");
        assertCreateRefused(
                "{\"volume\":{\"name\":\"x\"}}",
                "Invalid input for field/attribute volume. Value: {'name': 'x'}. 'size' is a required property");
        assertCreateRefused("{\"volume\":{\"size\":0}}", "Invalid input received: size must be a positive integer.");
        assertCreateRefused("{\"volume\":{\"size\":-3}}", "Invalid input received: size must be a positive integer.");
        assertCreateRefused(
                "{\"volume\":{\"size\":4294967296}}", "Invalid input received: size must be a positive integer.");
        assertCreateRefused(
                "{\"volume\":{\"size\":\"1\"}}",
                "Invalid input for field/attribute size. Value: '1'. '1' is not of type 'integer'");
        assertCreateRefused(
                "{\"volume\":{\"size\":1.5}}",
                "Invalid input for field/attribute size. Value: 1.5. 1.5 is not of type 'integer'");
        String longName = "n".repeat(256);
        assertCreateRefused(
                "{\"volume\":{\"size\":1,\"name\":\"" + longName + "\"}}",
                "Invalid input for field/attribute name. Value: '" + longName + "'. '" + longName + "' is too long");
        assertCreateRefused(
                "{\"volume\":{\"size\":1,\"description\":7}}",
                "Invalid input for field/attribute description. Value: 7. 7 is not of type 'string'");
        assertCreateRefused("{\"volume\":", "Malformed request body");
        assertCreateRefused("[1]", "Malformed request body: [1] is not of type 'object'");
        Response empty = api.request("POST", "/v3/p1/volumes").send();
        assertEquals(400, empty.status, empty.toString());
    }

    @Test
    void aCreateWithNoValidBackendIsStill202InError() {
        Volume error = AVAILABLE.toBuilder()
                .setStatus(VolumeStatus.VOLUME_STATUS_ERROR)
                .clearHost()
                .clearClusterName()
                .setStatusReason("No valid backend was found.")
                .build();
        fake.answer(
                "CreateVolume",
                CreateVolumeResponse.newBuilder().setVolume(error).build());
        Response response = api.request("POST", "/v3/p1/volumes")
                .json("{\"volume\":{\"size\":1}}")
                .send();
        assertEquals(202, response.status, response.toString());
        assertEquals("error", volume(response).get("status"));
        assertEquals(null, volume(response).get("os-vol-host-attr:host"));
    }

    @Test
    void createErrorsOfTheBackend() {
        fake.fail("CreateVolume", Status.INVALID_ARGUMENT.withDescription("name longer than 255 characters"));
        Response invalid = api.request("POST", "/v3/p1/volumes")
                .json("{\"volume\":{\"size\":1}}")
                .send();
        assertEquals(400, invalid.status, invalid.toString());
        assertEquals("name longer than 255 characters", invalid.fault("badRequest"));
        fake.fail("CreateVolume", Status.UNAVAILABLE.withDescription("PostgreSQL is unreachable"));
        Response down = api.request("POST", "/v3/p1/volumes")
                .json("{\"volume\":{\"size\":1}}")
                .send();
        assertEquals(503, down.status, down.toString());
        assertEquals("PostgreSQL is unreachable", down.fault("serviceUnavailable"));
    }

    // --- GET /volumes, /volumes/detail

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void listShowsIdNameAndLinks(String prefix) {
        Response response = api.request("GET", prefix + "/volumes").send();
        assertEquals(200, response.status, response.toString());
        assertHeaders(response, "3.0");
        List<Map<String, Object>> volumes = volumes(response);
        String base = base(volumes.get(0));
        String project = prefix.equals("/v3") ? "" : "/p1";
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("id", ID);
        first.put("name", "x");
        first.put("links", links(base, project, ID));
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("id", OTHER);
        second.put("name", null);
        second.put("links", links(base, project, OTHER));
        assertEquals(Map.of("volumes", List.of(first, second)), response.json());
        assertEquals(
                ListVolumesRequest.newBuilder().setProjectId("p1").build(),
                fake.only("ListVolumes").request());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void detailShowsEveryFieldAndTheAdminFieldsToAdmins(String prefix) {
        Response response = api.request("GET", prefix + "/volumes/detail").send();
        assertEquals(200, response.status, response.toString());
        List<Map<String, Object>> volumes = volumes(response);
        String base = base(volumes.get(0));
        String project = prefix.equals("/v3") ? "" : "/p1";
        assertEquals(expectedDetail(base, project, "available", "2026-11-22T09:20:01.250000"), volumes.get(0));
        Map<String, Object> unnamed = volumes.get(1);
        assertEquals(null, unnamed.get("name"));
        assertEquals("error_deleting", unnamed.get("status"));
        assertEquals(null, unnamed.get("updated_at"));
        assertEquals(null, unnamed.get("replication_status"));
        assertEquals(null, unnamed.get("os-vol-host-attr:host"));
        assertEquals("p2", unnamed.get("os-vol-tenant-attr:tenant_id"));
        assertFalse(response.json().containsKey("volumes_links"));
        assertEquals(
                ListVolumesRequest.newBuilder().setProjectId("p1").build(),
                fake.only("ListVolumes").request());
    }

    @Test
    void membersSeeNeitherHostNorTenant() {
        Response response = tokens.bare("GET", "/v3/p2/volumes/detail")
                .header("X-Auth-Token", "mem-secret")
                .send();
        assertEquals(200, response.status, response.toString());
        Map<String, Object> volume = volumes(response).get(0);
        assertFalse(volume.containsKey("os-vol-host-attr:host"), volume.toString());
        assertFalse(volume.containsKey("os-vol-tenant-attr:tenant_id"), volume.toString());
        assertEquals(17, volume.size(), volume.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/volumes", "/volumes/detail"})
    void filtersSortAndPaginationReachTheBackendAndTheNextLinkKeepsThem(String path) {
        fake.answer(
                "ListVolumes",
                ListVolumesResponse.newBuilder()
                        .addVolumes(AVAILABLE)
                        .setNextMarker(ID)
                        .build());
        Response response = api.request(
                        "GET", "/v3/p1" + path + "?name=x&status=available&limit=1&marker=" + OTHER + "&sort=name:asc")
                .send();
        assertEquals(200, response.status, response.toString());
        assertEquals(
                ListVolumesRequest.newBuilder()
                        .setProjectId("p1")
                        .setName("x")
                        .setStatus(VolumeStatus.VOLUME_STATUS_AVAILABLE)
                        .setLimit(1)
                        .setMarker(OTHER)
                        .setSortKey(VolumeSortKey.VOLUME_SORT_KEY_NAME)
                        .setSortDir(SortDirection.SORT_DIRECTION_ASC)
                        .build(),
                fake.only("ListVolumes").request());
        String base = base(volumes(response).get(0));
        assertEquals(
                List.of(Map.of(
                        "href",
                        base + "/v3/p1" + path + "?name=x&status=available&limit=1&sort=name%3Aasc&marker=" + ID,
                        "rel",
                        "next")),
                response.json().get("volumes_links"));
    }

    @Test
    void theNextLinkOfAPathWithoutProjectHasNone() {
        fake.answer(
                "ListVolumes",
                ListVolumesResponse.newBuilder()
                        .addVolumes(AVAILABLE)
                        .setNextMarker(ID)
                        .build());
        Response response = api.request("GET", "/v3/volumes/detail").send();
        String base = base(volumes(response).get(0));
        assertEquals(
                List.of(Map.of("href", base + "/v3/volumes/detail?marker=" + ID, "rel", "next")),
                response.json().get("volumes_links"));
    }

    @Test
    void anUnknownStatusListsNothingWithoutAskingTheBackend() {
        Response response =
                api.request("GET", "/v3/p1/volumes/detail?status=in-use").send();
        assertEquals(200, response.status, response.toString());
        assertEquals(Map.of("volumes", List.of()), response.json());
        assertTrue(fake.calls().isEmpty());
    }

    @Test
    void anEmptyListIsAnEmptyArray() {
        fake.answer("ListVolumes", ListVolumesResponse.getDefaultInstance());
        assertEquals(
                Map.of("volumes", List.of()),
                api.request("GET", "/v3/p1/volumes").send().json());
    }

    @Test
    void sortSpellings() {
        assertSort("sort=display_name", VolumeSortKey.VOLUME_SORT_KEY_NAME, SortDirection.SORT_DIRECTION_DESC);
        assertSort(
                "sort=created_at:asc,id:asc",
                VolumeSortKey.VOLUME_SORT_KEY_CREATED_AT,
                SortDirection.SORT_DIRECTION_ASC);
        assertSort("sort=size:desc,id", VolumeSortKey.VOLUME_SORT_KEY_SIZE, SortDirection.SORT_DIRECTION_DESC);
        assertSort("sort=updated_at:ASC", VolumeSortKey.VOLUME_SORT_KEY_UPDATED_AT, SortDirection.SORT_DIRECTION_ASC);
        assertSort(
                "sort_key=status&sort_dir=asc", VolumeSortKey.VOLUME_SORT_KEY_STATUS, SortDirection.SORT_DIRECTION_ASC);
        assertSort("sort_key=id", VolumeSortKey.VOLUME_SORT_KEY_ID, SortDirection.SORT_DIRECTION_DESC);
        assertSort("sort_dir=asc", VolumeSortKey.VOLUME_SORT_KEY_CREATED_AT, SortDirection.SORT_DIRECTION_ASC);
    }

    @Test
    void listParametersAreChecked() {
        assertListRefused("sort=color", "Invalid input received: Invalid sort key: color.");
        assertListRefused(
                "sort=name:up", "Invalid input received: Unknown sort direction up, must be 'desc' or 'asc'.");
        assertListRefused(
                "sort=name,size",
                "Invalid input received: Tandem sorts by one key, with id (in the same direction) breaking ties:"
                        + " name,size.");
        assertListRefused(
                "sort=name:asc,id:desc",
                "Invalid input received: Tandem sorts by one key, with id (in the same direction) breaking ties:"
                        + " name,id.");
        assertListRefused(
                "sort=name&sort_key=size",
                "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be used with the 'sort' parameter.");
        assertListRefused("limit=ten", "limit param must be an integer");
        assertListRefused("limit=-1", "limit param must be positive");
        assertListRefused(
                "all_tenants=maybe", "Invalid input received: Value 'maybe' for 'all_tenants' is not a boolean.");
        assertListRefused("bootable=false&color=red", "Invalid filters bootable,color are found in query options.");
        assertTrue(fake.calls().isEmpty());
        // A huge limit is lowered by the backend, not refused.
        assertEquals(200, api.request("GET", "/v3/p1/volumes?limit=99999999999").send().status);
        assertEquals(
                Integer.MAX_VALUE,
                ((ListVolumesRequest) fake.only("ListVolumes").request()).getLimit());
    }

    @Test
    void aMarkerOutsideTheScopeIs400() {
        fake.fail("ListVolumes", Status.INVALID_ARGUMENT.withDescription("Marker " + OTHER + " could not be found."));
        Response response = api.request("GET", "/v3/p1/volumes?marker=" + OTHER).send();
        assertEquals(400, response.status, response.toString());
        assertEquals("Marker " + OTHER + " could not be found.", response.fault("badRequest"));
    }

    @Test
    void allTenantsIsForAdmins() {
        assertListRequest(
                api,
                "admin:p1",
                "/v3/p1/volumes?all_tenants=1",
                ListVolumesRequest.newBuilder().setAllTenants(true).build());
        assertListRequest(
                api,
                "admin:p1",
                "/v3/volumes/detail?all_tenants=True",
                ListVolumesRequest.newBuilder().setAllTenants(true).build());
        assertListRequest(
                api,
                "admin:p1",
                "/v3/p1/volumes?all_tenants=0",
                ListVolumesRequest.newBuilder().setProjectId("p1").build());
        // cinder list --tenant p7: all_tenants=1&project_id=p7.
        assertListRequest(
                api,
                "admin:p1",
                "/v3/p1/volumes?all_tenants=1&project_id=p7",
                ListVolumesRequest.newBuilder().setProjectId("p7").build());
        assertListRequest(
                tokens,
                "adm-secret",
                "/v3/volumes",
                ListVolumesRequest.newBuilder().setProjectId("ops").build());
        // A member's all_tenants is ignored, as Cinder ignores it (cinderclient's name lookups always send it).
        assertListRequest(
                tokens,
                "mem-secret",
                "/v3/p2/volumes/detail?all_tenants=1&name=x",
                ListVolumesRequest.newBuilder().setProjectId("p2").setName("x").build());
        assertListRequest(
                tokens,
                "mem-secret",
                "/v3/volumes?all_tenants=1",
                ListVolumesRequest.newBuilder().setProjectId("p2").build());
        Response projectFilter = tokens.bare("GET", "/v3/p2/volumes?project_id=p1")
                .header("X-Auth-Token", "mem-secret")
                .send();
        assertEquals(400, projectFilter.status, projectFilter.toString());
        assertEquals("Invalid filters project_id are found in query options.", projectFilter.fault("badRequest"));
    }

    @Test
    void aMemberUsesOnlyItsOwnProject() {
        for (String[] route : List.of(
                new String[] {"GET", "/v3/p1/volumes"},
                new String[] {"GET", "/v3/p1/volumes/detail"},
                new String[] {"GET", "/v3/p1/volumes/" + ID},
                new String[] {"DELETE", "/v3/p1/volumes/" + ID})) {
            Response response = tokens.bare(route[0], route[1])
                    .header("X-Auth-Token", "mem-secret")
                    .send();
            assertEquals(403, response.status, response.toString());
            assertEquals("Project p1 in the URL is not the project of this token (p2).", response.fault("forbidden"));
        }
        Response create = tokens.bare("POST", "/v3/p1/volumes")
                .header("X-Auth-Token", "mem-secret")
                .json("{\"volume\":{\"size\":1}}")
                .send();
        assertEquals(403, create.status, create.toString());
        Response extend = tokens.bare("POST", "/v3/p1/volumes/" + ID + "/action")
                .header("X-Auth-Token", "mem-secret")
                .json("{\"os-extend\":{\"new_size\":2}}")
                .send();
        assertEquals(403, extend.status, extend.toString());
        assertTrue(fake.calls().isEmpty());
        assertEquals(401, tokens.bare("GET", "/v3/p2/volumes").send().status);
    }

    @Test
    void aMemberCreatesInItsProjectAsItself() {
        fake.answer(
                "CreateVolume",
                CreateVolumeResponse.newBuilder().setVolume(UNNAMED).build());
        Response response = tokens.bare("POST", "/v3/volumes")
                .header("X-Auth-Token", "mem-secret")
                .json("{\"volume\":{\"size\":3}}")
                .send();
        assertEquals(202, response.status, response.toString());
        FakeScheduler.Call call = fake.only("CreateVolume");
        assertEquals(
                CreateVolumeRequest.newBuilder()
                        .setProjectId("p2")
                        .setUserId("bob")
                        .setSizeGb(3)
                        .build(),
                call.request());
        assertEquals("bob", call.header("x-tandem-user"));
        assertEquals(response.header("X-OpenStack-Request-Id"), call.header("x-openstack-request-id"));
        assertFalse(volume(response).containsKey("os-vol-tenant-attr:tenant_id"));
    }

    // --- GET /volumes/{id}

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void showAnswersTheVolume(String prefix) {
        Response response = api.request("GET", prefix + "/volumes/" + ID).send();
        assertEquals(200, response.status, response.toString());
        assertHeaders(response, "3.0");
        String project = prefix.equals("/v3") ? "" : "/p1";
        Map<String, Object> volume = volume(response);
        assertEquals(
                Map.of("volume", expectedDetail(base(volume), project, "available", "2026-11-22T09:20:01.250000")),
                response.json());
        // An admin reaches any project's volume by id, as Cinder's admin context does.
        assertEquals(
                GetVolumeRequest.newBuilder()
                        .setVolumeId(ID)
                        .setProjectId("p1")
                        .setAllTenants(true)
                        .build(),
                fake.only("GetVolume").request());
    }

    @Test
    void aMemberShowsOnlyItsProjectsVolumes() {
        Response response = tokens.bare("GET", "/v3/volumes/" + ID.toUpperCase())
                .header("X-Auth-Token", "mem-secret")
                .send();
        assertEquals(200, response.status, response.toString());
        assertEquals(
                GetVolumeRequest.newBuilder().setVolumeId(ID).setProjectId("p2").build(),
                fake.only("GetVolume").request());
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "123", "5aa119a8d25b45a78d1b88e127885635", "5aa119a8-d25b-45a7-8d1b-88e12788563z"})
    void anIdThatIsNoUuidIs404(String id) {
        // cinderclient's show/delete <name-or-id> needs 404 (not 400) before it looks the name up.
        for (String method : List.of("GET", "DELETE")) {
            Response response = api.request(method, "/v3/p1/volumes/" + id).send();
            assertEquals(404, response.status, response.toString());
            assertEquals("Volume " + id + " could not be found.", response.fault("itemNotFound"));
        }
        Response extend = api.request("POST", "/v3/p1/volumes/" + id + "/action")
                .json("{\"os-extend\":{\"new_size\":2}}")
                .send();
        assertEquals(404, extend.status, extend.toString());
        assertTrue(fake.calls().isEmpty());
    }

    @Test
    void anUnknownVolumeIs404() {
        String message = "Volume " + OTHER + " could not be found.";
        fake.fail("GetVolume", Status.NOT_FOUND.withDescription(message));
        fake.fail("DeleteVolume", Status.NOT_FOUND.withDescription(message));
        fake.fail("ExtendVolume", Status.NOT_FOUND.withDescription(message));
        for (Response response : List.of(
                api.request("GET", "/v3/p1/volumes/" + OTHER).send(),
                api.request("DELETE", "/v3/volumes/" + OTHER).send(),
                api.request("POST", "/v3/p1/volumes/" + OTHER + "/action")
                        .json("{\"os-extend\":{\"new_size\":2}}")
                        .send())) {
            assertEquals(404, response.status, response.toString());
            assertEquals(message, response.fault("itemNotFound"));
        }
    }

    @Test
    void aSchedulerDownIs503() {
        try (ApiServer orphan = ApiServer.start("127.0.0.1:1")) {
            Response response = orphan.request("GET", "/v3/p1/volumes/" + ID).send();
            assertEquals(503, response.status, response.toString());
            assertTrue(
                    response.fault("serviceUnavailable").startsWith("scheduler-svc at 127.0.0.1:1 is unavailable"),
                    response.body);
        }
    }

    // --- DELETE /volumes/{id}

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void deleteAnswers202(String prefix) {
        fake.answer(
                "DeleteVolume",
                DeleteVolumeResponse.newBuilder()
                        .setVolume(AVAILABLE.toBuilder().setStatus(VolumeStatus.VOLUME_STATUS_DELETING))
                        .build());
        Response response = api.request("DELETE", prefix + "/volumes/" + ID).send();
        assertEquals(202, response.status, response.toString());
        assertHeaders(response, "3.0");
        assertTrue(response.body == null || response.body.isEmpty(), response.body);
        assertEquals(
                DeleteVolumeRequest.newBuilder()
                        .setVolumeId(ID)
                        .setProjectId("p1")
                        .setAllTenants(true)
                        .build(),
                fake.only("DeleteVolume").request());
    }

    @Test
    void aNeverPlacedVolumeIsDeletedAtOnceAlso202() {
        // DeleteVolume answers no volume then.
        assertEquals(202, api.request("DELETE", "/v3/p1/volumes/" + ID).send().status);
    }

    @Test
    void deleteRefusals() {
        fake.fail("DeleteVolume", Status.FAILED_PRECONDITION.withDescription(FROZEN));
        Response frozen = api.request("DELETE", "/v3/p1/volumes/" + ID).send();
        assertEquals(400, frozen.status, frozen.toString());
        assertEquals(FROZEN, frozen.fault("badRequest"));
        String deleting = "Invalid volume: Volume " + ID + " is already being deleted.";
        fake.fail("DeleteVolume", Status.FAILED_PRECONDITION.withDescription(deleting));
        Response again = api.request("DELETE", "/v3/p1/volumes/" + ID).send();
        assertEquals(400, again.status, again.toString());
        assertEquals(deleting, again.fault("badRequest"));
        fake.fail("DeleteVolume", Status.UNAVAILABLE.withDescription("no live member serves cluster1@fs1"));
        Response noMember = api.request("DELETE", "/v3/p1/volumes/" + ID).send();
        assertEquals(503, noMember.status, noMember.toString());
        assertEquals("no live member serves cluster1@fs1", noMember.fault("serviceUnavailable"));
    }

    // --- POST /volumes/{id}/action

    @ParameterizedTest
    @ValueSource(strings = {"/v3/p1", "/v3"})
    void extendAnswers202(String prefix) {
        Response response = api.request("POST", prefix + "/volumes/" + ID + "/action")
                .json("{\"os-extend\":{\"new_size\":2}}")
                .send();
        assertEquals(202, response.status, response.toString());
        assertHeaders(response, "3.0");
        assertTrue(response.body == null || response.body.isEmpty(), response.body);
        assertEquals(
                ExtendVolumeRequest.newBuilder()
                        .setVolumeId(ID)
                        .setProjectId("p1")
                        .setAllTenants(true)
                        .setNewSizeGb(2)
                        .build(),
                fake.only("ExtendVolume").request());
    }

    @Test
    void aMemberExtendsInItsProject() {
        Response response = tokens.bare("POST", "/v3/p2/volumes/" + OTHER + "/action")
                .header("X-Auth-Token", "mem-secret")
                .json("{\"os-extend\":{\"new_size\":5}}")
                .send();
        assertEquals(202, response.status, response.toString());
        assertEquals(
                ExtendVolumeRequest.newBuilder()
                        .setVolumeId(OTHER)
                        .setProjectId("p2")
                        .setNewSizeGb(5)
                        .build(),
                fake.only("ExtendVolume").request());
    }

    @Test
    void actionsOtherThanExtendAreRefusedByName() {
        assertActionRefused(
                "{\"os-reset_status\":{\"status\":\"available\"}}",
                "Action os-reset_status is not supported: Tandem implements os-extend only.");
        assertActionRefused(
                "{\"revert\":{\"snapshot_id\":\"" + OTHER + "\"}}",
                "Action revert is not supported: Tandem implements os-extend only.");
        assertActionRefused(
                "{\"os-frobnicate\":{}}", "Additional properties are not allowed ('os-frobnicate' was unexpected)");
        assertActionRefused(
                "{\"os-extend\":{\"new_size\":2},\"os-force_delete\":{}}",
                "Malformed request body: exactly one action is expected, such as {\"os-extend\": {\"new_size\": 2}},"
                        + " got 2.");
        assertActionRefused(
                "{}",
                "Malformed request body: exactly one action is expected, such as {\"os-extend\": {\"new_size\": 2}},"
                        + " got 0.");
    }

    @Test
    void extendChecksItsBody() {
        assertActionRefused(
                "{\"os-extend\":{}}",
                "Invalid input for field/attribute os-extend. Value: {}. 'new_size' is a required property");
        assertActionRefused(
                "{\"os-extend\":{\"new_size\":\"2\"}}",
                "Invalid input for field/attribute new_size. Value: '2'. '2' is not of type 'integer'");
        assertActionRefused(
                "{\"os-extend\":{\"new_size\":0}}",
                "Invalid input for field/attribute new_size. Value: 0. 0 is not a positive size in GiB");
        assertActionRefused(
                "{\"os-extend\":{\"new_size\":2,\"force\":true}}",
                "Invalid input for field/attribute os-extend. Value: {'new_size': 2, 'force': True}. Additional"
                        + " properties are not allowed ('force' was unexpected)");
        assertActionRefused(
                "{\"os-extend\":2}",
                "Invalid input for field/attribute os-extend. Value: 2. 2 is not of" + " type 'object'");
        assertActionRefused("not json", "Malformed request body");
    }

    @Test
    void extendRefusals() {
        String[] refusals = {
            FROZEN,
            "Invalid volume: Volume " + ID + " status must be available to extend, but current status is: creating.",
        };
        for (String message : refusals) {
            fake.fail("ExtendVolume", Status.FAILED_PRECONDITION.withDescription(message));
            assertActionRefused("{\"os-extend\":{\"new_size\":3}}", message);
        }
        String smaller = "Invalid input received: New size for extend must be greater than current size. (current: 2,"
                + " extended: 2).";
        fake.fail("ExtendVolume", Status.INVALID_ARGUMENT.withDescription(smaller));
        assertActionRefused("{\"os-extend\":{\"new_size\":2}}", smaller);
    }

    // --- helpers

    private void assertCreateRefused(String body, String message) {
        Response response = api.request("POST", "/v3/p1/volumes").json(body).send();
        assertEquals(400, response.status, response.toString());
        assertEquals(message, response.fault("badRequest"));
        assertTrue(fake.calls().isEmpty(), fake.calls().toString());
    }

    private void assertActionRefused(String body, String message) {
        Response response = api.request("POST", "/v3/p1/volumes/" + ID + "/action")
                .json(body)
                .send();
        assertEquals(400, response.status, response.toString());
        assertEquals(message, response.fault("badRequest"));
    }

    private void assertListRefused(String query, String message) {
        Response response = api.request("GET", "/v3/p1/volumes/detail?" + query).send();
        assertEquals(400, response.status, response.toString());
        assertEquals(message, response.fault("badRequest"));
    }

    private void assertSort(String query, VolumeSortKey key, SortDirection direction) {
        fake.reset();
        Response response = api.request("GET", "/v3/p1/volumes?" + query).send();
        assertEquals(200, response.status, response.toString());
        ListVolumesRequest sent = (ListVolumesRequest) fake.only("ListVolumes").request();
        assertEquals(key, sent.getSortKey(), query);
        assertEquals(direction, sent.getSortDir(), query);
    }

    private void assertListRequest(ApiServer server, String token, String path, ListVolumesRequest expected) {
        fake.reset();
        Response response =
                server.bare("GET", path).header("X-Auth-Token", token).send();
        assertEquals(200, response.status, response.toString());
        assertEquals(expected, fake.only("ListVolumes").request(), path);
    }

    /** The detail view of {@link #AVAILABLE} as an admin sees it, with {@code status} and {@code updated_at}. */
    private static Map<String, Object> expectedDetail(String base, String project, String status, String updatedAt) {
        Map<String, Object> volume = new LinkedHashMap<>();
        volume.put("id", ID);
        volume.put("name", "x");
        volume.put("size", 1);
        volume.put("status", status);
        volume.put("created_at", "2026-11-22T09:20:00.000000");
        volume.put("updated_at", updatedAt);
        volume.put("description", null);
        volume.put("availability_zone", "nova");
        volume.put("replication_status", "enabled");
        volume.put("attachments", List.of());
        volume.put("metadata", Map.of());
        volume.put("bootable", "false");
        volume.put("encrypted", false);
        volume.put("multiattach", false);
        volume.put("user_id", "admin");
        volume.put("volume_type", null);
        volume.put("links", links(base, project, ID));
        volume.put("os-vol-host-attr:host", "node2@fs1");
        volume.put("os-vol-tenant-attr:tenant_id", "p1");
        return volume;
    }

    private static List<Map<String, Object>> links(String base, String project, String id) {
        return List.of(
                Map.of("href", base + "/v3" + project + "/volumes/" + id, "rel", "self"),
                Map.of("href", base + project + "/volumes/" + id, "rel", "bookmark"));
    }

    /** Scheme, host and port of a volume's self link, checked to be the address the client used. */
    @SuppressWarnings("unchecked")
    private static String base(Map<String, Object> volume) {
        String self = (String)
                ((List<Map<String, Object>>) volume.get("links")).get(0).get("href");
        String base = self.substring(0, self.indexOf("/v3/"));
        assertTrue(base.matches("http://127\\.0\\.0\\.1:\\d+"), self);
        return base;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> volume(Response response) {
        return (Map<String, Object>) response.json().get("volume");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> volumes(Response response) {
        return (List<Map<String, Object>>) response.json().get("volumes");
    }
}
