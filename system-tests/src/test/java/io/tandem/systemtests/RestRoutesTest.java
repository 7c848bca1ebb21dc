package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tandem.testing.Eventually;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route of docs/rest-api.md that RestFailoverTest and RestAuthAndErrorsTest do not already drive end to end, over
 * real HTTP against the real services (RestStack, noauth): os-services list filters, enable / disable /
 * disable-log-reason; clusters list / detail filters, enable / disable and their 3.7 gate; workers' 3.24 gate; volumes
 * paging, sorting, filters, all_tenants, os-extend and delete; failover_host naming a member host; and Tandem's failover
 * journal. Outcomes are read back through GET and from the database. Each test restores what it changes (services and
 * the cluster enabled, the cluster on its primary, its volumes deleted), so the order of the tests does not matter.
 */
class RestRoutesTest {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String PROJECT = "routes";
    private static final String V = "/v3/" + PROJECT;
    private static final String CLUSTER = RestStack.CLUSTER;
    private static final String SECONDARY = RestStack.SECONDARY;
    private static final Set<String> MEMBERS = Set.of("r1@fs", "r2@fs", "r3@fs");
    private static final String CLUSTER_SHOW = V + "/clusters/" + CLUSTER + "?binary=cinder-volume";

    private static RestStack system;
    private static Rest rest;

    @BeforeAll
    static void startTheSystem() {
        system = RestStack.start(RestRoutesTest.class, false);
        rest = system.rest(PROJECT);
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
    }

    // --- os-services --------------------------------------------------------------------------------------------

    @Test
    void servicesAreListedAndFilteredByHostAndBinary() {
        List<JsonNode> all = services("", "3.7");
        Map<String, String> binaryByHost = new LinkedHashMap<>();
        for (JsonNode service : all) {
            binaryByHost.put(
                    service.path("host").asText(), service.path("binary").asText());
            assertEquals("nova", service.path("zone").asText(), service.toString());
            assertEquals("enabled", service.path("status").asText(), service.toString());
            assertEquals("up", service.path("state").asText(), service.toString());
            assertTrue(service.has("updated_at") && !service.path("updated_at").isNull(), service.toString());
            assertTrue(
                    service.has("disabled_reason")
                            && service.path("disabled_reason").isNull(),
                    service.toString());
            assertTrue(service.has("cluster"), "cluster at 3.7: " + service);
        }
        for (String member : MEMBERS) {
            assertEquals("cinder-volume", binaryByHost.get(member), all.toString());
        }
        List<JsonNode> schedulers = services("?binary=cinder-scheduler", "3.7");
        assertFalse(schedulers.isEmpty(), "the stack runs a scheduler");
        for (JsonNode scheduler : schedulers) {
            assertEquals("cinder-scheduler", scheduler.path("binary").asText(), scheduler.toString());
            assertTrue(scheduler.path("cluster").isNull(), scheduler.toString());
            assertFalse(scheduler.has("replication_status"), "volume services only: " + scheduler);
            assertFalse(scheduler.has("frozen"), "volume services only: " + scheduler);
        }
        assertEquals(
                system.db().scalar("SELECT count(*) FROM services WHERE binary_name = 'scheduler'"),
                schedulers.size(),
                schedulers.toString());
        assertTrue(binaryByHost.containsKey(host(schedulers.get(0))), all.toString());

        List<JsonNode> volumes = services("?binary=cinder-volume", "3.7");
        assertEquals(MEMBERS, hosts(volumes), volumes.toString());
        for (JsonNode volume : volumes) {
            assertEquals("cinder-volume", volume.path("binary").asText(), volume.toString());
            assertEquals(CLUSTER, volume.path("cluster").asText(), volume.toString());
            assertEquals("enabled", volume.path("replication_status").asText(), volume.toString());
            assertFalse(volume.path("frozen").asBoolean(true), volume.toString());
            assertTrue(
                    volume.has("active_backend_id")
                            && volume.path("active_backend_id").isNull(),
                    volume.toString());
        }

        List<JsonNode> byHost = services("?host=r2@fs", "3.7");
        assertEquals(1, byHost.size(), byHost.toString());
        assertEquals("r2@fs", host(byHost.get(0)));
        assertEquals("cinder-volume", byHost.get(0).path("binary").asText());
        assertEquals(
                List.of("r2@fs"),
                services("?host=r2@fs&binary=cinder-volume", "3.7").stream()
                        .map(RestRoutesTest::host)
                        .toList());
        assertEquals(List.of(), services("?host=r2@fs&binary=cinder-scheduler", "3.7"));
        assertEquals(List.of(), services("?host=nope@fs", "3.7"));
        String scheduler = host(schedulers.get(0));
        List<JsonNode> schedulerByHost = services("?host=" + scheduler + "&binary=cinder-scheduler", "3.7");
        assertEquals(
                List.of(scheduler),
                schedulerByHost.stream().map(RestRoutesTest::host).toList());

        for (JsonNode service : services("?binary=cinder-volume", "3.6")) {
            assertFalse(service.has("cluster"), "no cluster below 3.7: " + service);
        }
    }

    @Test
    void aServiceIsDisabledWithAndWithoutAReasonAndEnabledAgain() {
        String member = "r3@fs";
        String scheduler = host(services("?binary=cinder-scheduler", "3.26").get(0));
        try {
            Rest.Response disable =
                    rest.put(V + "/os-services/disable", Map.of("binary", "cinder-volume", "host", member), "3.26");
            assertEquals(200, disable.status(), disable.toString());
            assertEquals(
                    json("{\"disabled\":true,\"status\":\"disabled\",\"host\":\"r3@fs\",\"service\":\"\","
                            + "\"binary\":\"cinder-volume\"}"),
                    disable.json(),
                    disable.toString());
            JsonNode disabled = service(member, "cinder-volume");
            assertEquals("disabled", disabled.path("status").asText(), disabled.toString());
            assertTrue(disabled.path("disabled_reason").isNull(), disabled.toString());
            assertEquals(Optional.of("t"), serviceColumn("disabled", member, "volume"));
            assertEquals(Optional.empty(), serviceColumn("disabled_reason", member, "volume"));
            for (String other : List.of("r1@fs", "r2@fs")) {
                assertEquals(
                        "enabled",
                        service(other, "cinder-volume").path("status").asText(),
                        "only " + member);
            }

            Rest.Response reason = rest.put(
                    V + "/os-services/disable-log-reason",
                    Map.of("binary", "cinder-volume", "host", member, "disabled_reason", "maintenance window"),
                    "3.26");
            assertEquals(200, reason.status(), reason.toString());
            assertEquals(
                    json("{\"disabled\":true,\"status\":\"disabled\",\"host\":\"r3@fs\",\"service\":\"\","
                            + "\"binary\":\"cinder-volume\",\"disabled_reason\":\"maintenance window\"}"),
                    reason.json(),
                    reason.toString());
            JsonNode withReason = service(member, "cinder-volume");
            assertEquals("disabled", withReason.path("status").asText(), withReason.toString());
            assertEquals(
                    "maintenance window", withReason.path("disabled_reason").asText(), withReason.toString());
            assertEquals(Optional.of("t"), serviceColumn("disabled", member, "volume"));
            assertEquals(Optional.of("maintenance window"), serviceColumn("disabled_reason", member, "volume"));

            Rest.Response enable =
                    rest.put(V + "/os-services/enable", Map.of("binary", "cinder-volume", "host", member), "3.26");
            assertEquals(200, enable.status(), enable.toString());
            assertEquals(
                    json("{\"disabled\":false,\"status\":\"enabled\",\"host\":\"r3@fs\",\"service\":\"\","
                            + "\"binary\":\"cinder-volume\"}"),
                    enable.json(),
                    enable.toString());
            JsonNode enabled = service(member, "cinder-volume");
            assertEquals("enabled", enabled.path("status").asText(), enabled.toString());
            assertTrue(enabled.path("disabled_reason").isNull(), "enable clears the reason: " + enabled);
            assertEquals(Optional.of("f"), serviceColumn("disabled", member, "volume"));
            assertEquals(Optional.empty(), serviceColumn("disabled_reason", member, "volume"));

            // The scheduler's service, named by its Cinder binary, at 3.0 and without a project id in the path.
            Rest.Response schedulerOff =
                    rest.put("/v3/os-services/disable", Map.of("binary", "cinder-scheduler", "host", scheduler), null);
            assertEquals(200, schedulerOff.status(), schedulerOff.toString());
            assertEquals(
                    json("{\"disabled\":true,\"status\":\"disabled\",\"host\":\"" + scheduler
                            + "\",\"service\":\"\",\"binary\":\"cinder-scheduler\"}"),
                    schedulerOff.json(),
                    schedulerOff.toString());
            assertEquals(
                    "disabled",
                    service(scheduler, "cinder-scheduler").path("status").asText());
            assertEquals(Optional.of("t"), serviceColumn("disabled", scheduler, "scheduler"));
            Rest.Response schedulerOn =
                    rest.put("/v3/os-services/enable", Map.of("binary", "cinder-scheduler", "host", scheduler), null);
            assertEquals(200, schedulerOn.status(), schedulerOn.toString());
            assertEquals("enabled", schedulerOn.json().path("status").asText(), schedulerOn.toString());
            assertEquals(
                    "enabled",
                    service(scheduler, "cinder-scheduler").path("status").asText());
            assertEquals(Optional.of("f"), serviceColumn("disabled", scheduler, "scheduler"));
        } finally {
            rest.put(V + "/os-services/enable", Map.of("binary", "cinder-volume", "host", member), "3.26");
            rest.put(V + "/os-services/enable", Map.of("binary", "cinder-scheduler", "host", scheduler), "3.26");
        }
    }

    @Test
    void enablingOrDisablingAnUnknownServiceIs404AndChangesNothing() {
        List<Map<String, String>> unknown = List.of(
                Map.of("binary", "cinder-volume", "host", "nope@fs"),
                // A known host under a binary it does not run.
                Map.of("binary", "cinder-scheduler", "host", "r1@fs"));
        for (Map<String, String> key : unknown) {
            for (String route : List.of("enable", "disable")) {
                Rest.Response response = rest.put(V + "/os-services/" + route, key, "3.26");
                assertEquals(404, response.status(), response.toString());
                assertEquals(Optional.of("itemNotFound"), response.faultName(), response.toString());
            }
            Map<String, String> withReason = new LinkedHashMap<>(key);
            withReason.put("disabled_reason", "maintenance");
            Rest.Response response = rest.put(V + "/os-services/disable-log-reason", withReason, "3.26");
            assertEquals(404, response.status(), response.toString());
            assertEquals(Optional.of("itemNotFound"), response.faultName(), response.toString());
        }
        assertEquals(0, system.db().scalar("SELECT count(*) FROM services WHERE disabled"), "nothing was disabled");
    }

    // --- clusters -----------------------------------------------------------------------------------------------

    @Test
    void clusterFiltersSelectTheClusterAndRefuseUnknownKeys() {
        // The cluster is up, enabled, on its primary, thawed, with its three members up.
        for (String path : List.of("/clusters", "/clusters/detail")) {
            for (String query : List.of(
                    "",
                    "?name=" + CLUSTER,
                    "?binary=cinder-volume",
                    "?is_up=true",
                    "?is_up=1",
                    "?is_up=yes",
                    "?disabled=false",
                    "?disabled=0",
                    "?disabled=no",
                    "?num_hosts=3",
                    "?num_down_hosts=0",
                    "?name=" + CLUSTER + "&binary=cinder-volume&is_up=true&disabled=false&num_hosts=3"
                            + "&num_down_hosts=0")) {
                assertEquals(List.of(CLUSTER), clusterNames(path + query, "3.7"), path + query);
            }
            for (String query : List.of(
                    "?name=nope@fs",
                    "?binary=cinder-scheduler",
                    "?is_up=false",
                    "?is_up=0",
                    "?is_up=no",
                    "?disabled=true",
                    "?disabled=1",
                    "?disabled=yes",
                    "?num_hosts=2",
                    "?num_down_hosts=1",
                    "?name=" + CLUSTER + "&num_hosts=4")) {
                assertEquals(List.of(), clusterNames(path + query, "3.7"), path + query);
            }
            for (String query : List.of(
                    "?replication_status=enabled",
                    "?frozen=false",
                    "?frozen=0",
                    "?frozen=no",
                    "?replication_status=enabled&frozen=false&name=" + CLUSTER)) {
                assertEquals(List.of(CLUSTER), clusterNames(path + query, "3.26"), path + query);
            }
            for (String query : List.of(
                    "?replication_status=failed-over",
                    "?frozen=true",
                    "?frozen=1",
                    "?frozen=yes",
                    "?active_backend_id=" + SECONDARY)) {
                assertEquals(List.of(), clusterNames(path + query, "3.26"), path + query);
            }

            Rest.Response invalid = rest.get(V + path + "?colour=red", "3.26");
            assertEquals(400, invalid.status(), invalid.toString());
            assertEquals(Optional.of("badRequest"), invalid.faultName(), invalid.toString());
            assertEquals(Optional.of("Invalid filter keys: colour"), invalid.faultMessage(), invalid.toString());
            Rest.Response two = rest.get(V + path + "?colour=red&name=" + CLUSTER + "&size=1", "3.26");
            assertEquals(400, two.status(), two.toString());
            String message = two.faultMessage().orElse("");
            assertTrue(
                    message.startsWith("Invalid filter keys: ")
                            && message.contains("colour")
                            && message.contains("size")
                            && !message.contains("name"),
                    two.toString());
            for (String replicationFilter :
                    List.of("replication_status=enabled", "frozen=false", "active_backend_id=" + SECONDARY)) {
                Rest.Response at325 = rest.get(V + path + "?" + replicationFilter, "3.25");
                assertEquals(400, at325.status(), "a 3.26 filter at 3.25: " + at325);
                assertEquals(
                        Optional.of("Invalid filter keys: "
                                + replicationFilter.substring(0, replicationFilter.indexOf('='))),
                        at325.faultMessage(),
                        at325.toString());
            }
            Rest.Response notBoolean = rest.get(V + path + "?is_up=maybe", "3.26");
            assertEquals(400, notBoolean.status(), notBoolean.toString());
        }

        JsonNode detail = rest.get(V + "/clusters/detail?name=" + CLUSTER + "&num_hosts=3", "3.26")
                .json()
                .path("clusters")
                .get(0);
        assertEquals(3, detail.path("num_hosts").asInt(), detail.toString());
        assertEquals(0, detail.path("num_down_hosts").asInt(), detail.toString());
        assertEquals("enabled", detail.path("replication_status").asText(), detail.toString());
    }

    @Test
    void aClusterIsDisabledAndEnabledAndAnUnknownOneIs404() {
        try {
            Rest.Response disable = rest.put(
                    V + "/clusters/disable",
                    Map.of("name", CLUSTER, "binary", "cinder-volume", "disabled_reason", "maintenance"),
                    "3.7");
            assertEquals(200, disable.status(), disable.toString());
            assertEquals(
                    json("{\"cluster\":{\"name\":\"" + CLUSTER + "\",\"binary\":\"cinder-volume\",\"state\":\"up\","
                            + "\"status\":\"disabled\",\"disabled_reason\":\"maintenance\"}}"),
                    disable.json(),
                    disable.toString());
            JsonNode shown = clusterShow("3.7");
            assertEquals("disabled", shown.path("status").asText(), shown.toString());
            assertEquals("maintenance", shown.path("disabled_reason").asText(), shown.toString());
            assertEquals(Optional.of("t"), clusterColumn("disabled"));
            assertEquals(Optional.of("maintenance"), clusterColumn("disabled_reason"));
            assertEquals(List.of(CLUSTER), clusterNames("/clusters?disabled=true", "3.7"));
            assertEquals(List.of(CLUSTER), clusterNames("/clusters/detail?disabled=yes", "3.7"));
            assertEquals(List.of(), clusterNames("/clusters?disabled=false", "3.7"));
            assertEquals(
                    "disabled",
                    onlyCluster(rest.get(V + "/clusters", "3.7")).path("status").asText());

            // binary defaults to cinder-volume; at 3.26 the answer is the 3.26 summary plus the reason.
            Rest.Response enable = rest.put(V + "/clusters/enable", Map.of("name", CLUSTER), "3.26");
            assertEquals(200, enable.status(), enable.toString());
            JsonNode enabled = enable.json().path("cluster");
            assertEquals(CLUSTER, enabled.path("name").asText(), enable.toString());
            assertEquals("cinder-volume", enabled.path("binary").asText(), enable.toString());
            assertEquals("up", enabled.path("state").asText(), enable.toString());
            assertEquals("enabled", enabled.path("status").asText(), enable.toString());
            assertTrue(
                    enabled.has("disabled_reason")
                            && enabled.path("disabled_reason").isNull(),
                    enable.toString());
            Set<String> allowed = Set.of("name", "binary", "state", "status", "disabled_reason", "replication_status");
            assertTrue(allowed.containsAll(fields(enabled)), enable.toString());
            assertEquals("enabled", clusterShow("3.26").path("status").asText());
            assertEquals(Optional.of("f"), clusterColumn("disabled"));
            assertEquals(Optional.empty(), clusterColumn("disabled_reason"));
            assertEquals(List.of(CLUSTER), clusterNames("/clusters?disabled=false", "3.7"));

            Rest.Response twice = rest.put(V + "/clusters/enable", Map.of("name", CLUSTER), "3.7");
            assertEquals(200, twice.status(), "enabling an enabled cluster: " + twice);
        } finally {
            rest.put(V + "/clusters/enable", Map.of("name", CLUSTER, "binary", "cinder-volume"), "3.7");
        }

        for (String route : List.of("enable", "disable")) {
            Rest.Response unknown = rest.put(V + "/clusters/" + route, Map.of("name", "nope@fs"), "3.7");
            assertEquals(404, unknown.status(), unknown.toString());
            assertEquals(Optional.of("itemNotFound"), unknown.faultName(), unknown.toString());
            assertEquals(
                    Optional.of("Cluster nope@fs could not be found."), unknown.faultMessage(), unknown.toString());
            Rest.Response wrongBinary =
                    rest.put(V + "/clusters/" + route, Map.of("name", CLUSTER, "binary", "cinder-scheduler"), "3.26");
            assertEquals(404, wrongBinary.status(), wrongBinary.toString());
            assertEquals(
                    Optional.of("Cluster " + CLUSTER + " could not be found."),
                    wrongBinary.faultMessage(),
                    wrongBinary.toString());
        }
        Rest.Response unknownShow = rest.get(V + "/clusters/nope@fs?binary=cinder-volume", "3.26");
        assertEquals(404, unknownShow.status(), unknownShow.toString());
        assertEquals(
                Optional.of("Cluster nope@fs could not be found."), unknownShow.faultMessage(), unknownShow.toString());
        assertEquals(Optional.of("f"), clusterColumn("disabled"), "the 404s changed nothing");
    }

    @Test
    void clustersNeed37AndWorkersCleanupNeeds324() {
        List<Rest.Response> below = new ArrayList<>();
        for (String version : new String[] {"3.6", null}) {
            below.add(rest.get(V + "/clusters", version));
            below.add(rest.get(V + "/clusters/detail", version));
            below.add(rest.get(CLUSTER_SHOW, version));
            below.add(rest.put(V + "/clusters/enable", Map.of("name", CLUSTER), version));
            below.add(
                    rest.put(V + "/clusters/disable", Map.of("name", CLUSTER, "disabled_reason", "too old"), version));
        }
        for (Rest.Response response : below) {
            assertEquals(404, response.status(), "clusters start at 3.7: " + response);
        }
        assertEquals(Optional.of("f"), clusterColumn("disabled"), "a refused disable changed nothing");
        assertEquals(200, rest.get(V + "/clusters", "3.7").status());
        assertEquals(200, rest.get(CLUSTER_SHOW, "3.7").status());

        for (String version : new String[] {"3.23", "3.7", null}) {
            Rest.Response old = rest.post(V + "/workers/cleanup", Map.of("cluster_name", CLUSTER), version);
            assertEquals(404, old.status(), "cleanup starts at 3.24: " + old);
        }
        Rest.Response cleanup = rest.post(V + "/workers/cleanup", Map.of("cluster_name", CLUSTER), "3.24");
        assertEquals(202, cleanup.status(), cleanup.toString());
    }

    // --- volumes ------------------------------------------------------------------------------------------------

    @Test
    void volumesArePagedSortedAndFiltered() {
        String project = "routes-list";
        String other = "routes-other";
        String v = "/v3/" + project;
        Rest mine = system.rest(project);
        enableTheCluster();
        List<String> created = new ArrayList<>();
        Map<String, String> nameById = new LinkedHashMap<>();
        String otherId = null;
        try {
            for (int i = 0; i < 5; i++) {
                String id = create(mine, project, "page-" + i, 1);
                created.add(id);
                nameById.put(id, "page-" + i);
            }
            otherId = create(system.rest(other), other, "elsewhere", 1);
            for (String id : created) {
                awaitVolume(mine, v, id, "available", vol -> vol.path("status")
                        .asText()
                        .equals("available"));
            }
            awaitVolume(system.rest(other), "/v3/" + other, otherId, "available", vol -> vol.path("status")
                    .asText()
                    .equals("available"));

            List<String> newestFirst =
                    ids("SELECT id FROM volumes WHERE project_id = ? ORDER BY created_at DESC, id DESC", project);
            assertEquals(Set.copyOf(created), Set.copyOf(newestFirst), "the database holds the five");

            // limit + marker, following volumes_links next: 2, 2, 1.
            List<String> paged = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            String next = v + "/volumes?limit=2";
            while (next != null) {
                Rest.Response page = mine.get(next, "3.26");
                assertEquals(200, page.status(), page.toString());
                JsonNode volumes = page.json().path("volumes");
                sizes.add(volumes.size());
                for (JsonNode volume : volumes) {
                    assertEquals(Set.of("id", "name", "links"), fields(volume), page.toString());
                    assertEquals(
                            nameById.get(volume.path("id").asText()),
                            volume.path("name").asText());
                    paged.add(volume.path("id").asText());
                }
                JsonNode links = page.json().path("volumes_links");
                if (links.isMissingNode()) {
                    next = null;
                } else {
                    assertEquals(1, links.size(), page.toString());
                    assertEquals("next", links.get(0).path("rel").asText(), page.toString());
                    String href = links.get(0).path("href").asText();
                    assertTrue(href.startsWith(mine.base() + v + "/volumes?"), page.toString());
                    assertTrue(href.contains("limit=2"), page.toString());
                    assertTrue(href.contains("marker=" + paged.get(paged.size() - 1)), page.toString());
                    next = href.substring(mine.base().length());
                }
                assertTrue(sizes.size() <= 3, "three pages at most: " + sizes);
            }
            assertEquals(List.of(2, 2, 1), sizes);
            assertEquals(newestFirst, paged, "newest first (created_at desc), no duplicates, none missing");

            // detail with a marker continues after it.
            Rest.Response detail = mine.get(v + "/volumes/detail?limit=2&marker=" + newestFirst.get(1), "3.26");
            assertEquals(200, detail.status(), detail.toString());
            assertEquals(newestFirst.subList(2, 4), volumeIds(detail), detail.toString());
            assertTrue(
                    detail.json()
                            .path("volumes_links")
                            .get(0)
                            .path("href")
                            .asText()
                            .contains("/volumes/detail?"),
                    detail.toString());
            for (JsonNode volume : detail.json().path("volumes")) {
                assertEquals("available", volume.path("status").asText(), volume.toString());
                assertEquals(1, volume.path("size").asInt(), volume.toString());
                assertEquals(
                        project, volume.path("os-vol-tenant-attr:tenant_id").asText(), volume.toString());
                assertTrue(
                        MEMBERS.contains(
                                volume.path("os-vol-host-attr:host").asText().split("#")[0]),
                        volume.toString());
            }
            Rest.Response lastPage = mine.get(v + "/volumes/detail?limit=2&marker=" + newestFirst.get(3), "3.26");
            assertEquals(newestFirst.subList(4, 5), volumeIds(lastPage), lastPage.toString());
            assertFalse(lastPage.json().has("volumes_links"), "nothing remains: " + lastPage);

            // sort
            List<String> byName =
                    created.stream().sorted(Comparator.comparing(nameById::get)).toList();
            assertEquals(byName, volumeIds(mine.get(v + "/volumes?sort=name:asc", "3.26")));
            assertEquals(reversed(byName), volumeIds(mine.get(v + "/volumes?sort=name:desc", "3.26")));
            assertEquals(reversed(newestFirst), volumeIds(mine.get(v + "/volumes/detail?sort=created_at:asc", "3.26")));
            assertEquals(newestFirst, volumeIds(mine.get(v + "/volumes?sort=created_at:desc", "3.26")));
            assertEquals(byName.subList(0, 2), volumeIds(mine.get(v + "/volumes?sort=name:asc&limit=2", "3.26")));

            // filters
            assertEquals(List.of(created.get(3)), volumeIds(mine.get(v + "/volumes?name=page-3", "3.26")));
            assertEquals(List.of(created.get(3)), volumeIds(mine.get(v + "/volumes/detail?name=page-3", "3.26")));
            assertEquals(List.of(), volumeIds(mine.get(v + "/volumes?name=elsewhere", "3.26")), "another project's");
            assertEquals(newestFirst, volumeIds(mine.get(v + "/volumes/detail?status=available", "3.26")));
            assertEquals(List.of(), volumeIds(mine.get(v + "/volumes?status=creating", "3.26")));
            assertEquals(List.of(), volumeIds(mine.get(v + "/volumes?status=error", "3.26")));
            assertEquals(
                    List.of(created.get(2)), volumeIds(mine.get(v + "/volumes?status=available&name=page-2", "3.26")));

            // all_tenants=1: an admin sees every project's volumes.
            List<String> own = volumeIds(mine.get(v + "/volumes", "3.26"));
            assertFalse(own.contains(otherId), "without all_tenants only the path's project: " + own);
            List<String> everyone = volumeIds(mine.get(v + "/volumes/detail?all_tenants=1&limit=1000", "3.26"));
            assertTrue(everyone.contains(otherId) && everyone.containsAll(created), everyone.toString());
            assertEquals(
                    system.db().scalar("SELECT count(*) FROM volumes"),
                    everyone.size(),
                    "every volume of the database: " + everyone);
            Rest.Response allNamed = mine.get(v + "/volumes/detail?all_tenants=1&name=elsewhere", "3.26");
            assertEquals(List.of(otherId), volumeIds(allNamed), allNamed.toString());
            assertEquals(
                    other,
                    allNamed.json()
                            .at("/volumes/0/os-vol-tenant-attr:tenant_id")
                            .asText());
        } finally {
            List<String> all = new ArrayList<>(created);
            if (otherId != null) {
                all.add(otherId);
            }
            for (String id : all) {
                rest.delete(V + "/volumes/" + id, "3.26");
            }
            for (String id : all) {
                awaitGone(id);
            }
        }
    }

    @Test
    void aVolumeIsExtendedAndDeleted() {
        String project = "routes-extend";
        String v = "/v3/" + project;
        Rest mine = system.rest(project);
        enableTheCluster();
        List<String> created = new ArrayList<>();
        boolean deleted = false;
        try {
            // Three volumes on a shared backend: whichever member the scheduler hands the extend to can do it.
            for (int i = 0; i < 3; i++) {
                String one = create(mine, project, "grow-" + i, 1);
                created.add(one);
                awaitVolume(mine, v, one, "available", vol -> vol.path("status")
                        .asText()
                        .equals("available"));
            }
            String id = created.get(0);

            Rest.Response extend =
                    mine.post(v + "/volumes/" + id + "/action", Map.of("os-extend", Map.of("new_size", 2)), "3.26");
            assertEquals(202, extend.status(), extend.toString());
            assertEquals("", extend.body().strip(), extend.toString());
            JsonNode grown = awaitVolume(
                    mine,
                    v,
                    id,
                    "extended to 2 GiB",
                    vol -> vol.path("status").asText().equals("available")
                            && vol.path("size").asInt() == 2);
            assertEquals(2, grown.path("size").asInt());
            assertEquals(2, system.db().scalar("SELECT size_gb FROM volumes WHERE id = ?::uuid", id));

            for (int size : new int[] {2, 1}) {
                Rest.Response notGreater = mine.post(
                        v + "/volumes/" + id + "/action", Map.of("os-extend", Map.of("new_size", size)), "3.26");
                assertEquals(400, notGreater.status(), "new_size " + size + " is not greater than 2: " + notGreater);
                assertEquals(Optional.of("badRequest"), notGreater.faultName(), notGreater.toString());
            }
            Rest.Response otherAction = mine.post(
                    v + "/volumes/" + id + "/action", Map.of("os-reset_status", Map.of("status", "error")), "3.26");
            assertEquals(400, otherAction.status(), "an action Tandem lacks: " + otherAction);
            Rest.Response unknownAction =
                    mine.post(v + "/volumes/" + id + "/action", Map.of("os-frobnicate", Map.of()), "3.26");
            assertEquals(400, unknownAction.status(), "an unknown action: " + unknownAction);
            JsonNode unchanged = volume(mine, v, id);
            assertEquals("available", unchanged.path("status").asText(), unchanged.toString());
            assertEquals(2, unchanged.path("size").asInt(), unchanged.toString());
            assertEquals(2, system.db().scalar("SELECT size_gb FROM volumes WHERE id = ?::uuid", id));

            String unknown = UUID.randomUUID().toString();
            Rest.Response extendUnknown = mine.post(
                    v + "/volumes/" + unknown + "/action", Map.of("os-extend", Map.of("new_size", 3)), "3.26");
            assertEquals(404, extendUnknown.status(), extendUnknown.toString());
            Rest.Response deleteUnknown = mine.delete(v + "/volumes/" + unknown, "3.26");
            assertEquals(404, deleteUnknown.status(), deleteUnknown.toString());
            assertEquals(
                    Optional.of("Volume " + unknown + " could not be found."),
                    deleteUnknown.faultMessage(),
                    deleteUnknown.toString());

            Rest.Response delete = mine.delete(v + "/volumes/" + id, "3.26");
            assertEquals(202, delete.status(), delete.toString());
            assertEquals("", delete.body().strip(), delete.toString());
            Eventually.await(
                    SETTLE,
                    "volume " + id + " gone (404)",
                    () -> mine.get(v + "/volumes/" + id, "3.26").status() == 404);
            deleted = true;
            Rest.Response gone = mine.get(v + "/volumes/" + id, "3.26");
            assertEquals(Optional.of("Volume " + id + " could not be found."), gone.faultMessage(), gone.toString());
            assertEquals(0, system.db().scalar("SELECT count(*) FROM volumes WHERE id = ?::uuid", id));
            assertFalse(volumeIds(mine.get(v + "/volumes", "3.26")).contains(id));
            Rest.Response again = mine.delete(v + "/volumes/" + id, "3.26");
            assertEquals(404, again.status(), "deleting a deleted volume: " + again);
            Rest.Response extendGone =
                    mine.post(v + "/volumes/" + id + "/action", Map.of("os-extend", Map.of("new_size", 3)), "3.26");
            assertEquals(404, extendGone.status(), extendGone.toString());
        } finally {
            for (String one : deleted ? created.subList(1, created.size()) : created) {
                rest.delete(V + "/volumes/" + one, "3.26");
            }
            for (String one : created) {
                awaitGone(one);
            }
        }
    }

    // --- failover_host with a member host, and the failover journal ------------------------------------------------

    @Test
    void aMemberHostFailsItsClusterOverAndBackAndTheJournalRecordsEachStep() {
        long before = newestJournalId();
        List<String> requestIds = new ArrayList<>();
        try {
            // Documented refusals first: none of them writes a journal row.
            Rest.Response unknown = rest.put(
                    V + "/os-services/failover_host", Map.of("host", "nope@fs", "backend_id", SECONDARY), "3.0");
            assertEquals(400, unknown.status(), "an unknown host is 400 for failover: " + unknown);
            setReplicationStatus("disabled");
            Rest.Response wrongState =
                    rest.put(V + "/os-services/failover_host", Map.of("host", "r2@fs", "backend_id", SECONDARY), "3.0");
            setReplicationStatus("enabled");
            assertEquals(400, wrongState.status(), "replication disabled: " + wrongState);
            String message = wrongState.faultMessage().orElse("");
            assertTrue(
                    message.contains("enabled") && message.contains("failed-over"), "names the states: " + wrongState);
            assertEquals(before, newestJournalId(), "refusals write no journal row");

            // Round 1: a member's host, at 3.0, stands for its whole cluster.
            requestIds.add(failoverHost("r2@fs", SECONDARY));
            awaitActive(SECONDARY);
            awaitJournalRowFinal(requestIds.get(0));
            assertEquals(
                    List.of(CLUSTER),
                    clusterNames("/clusters?replication_status=failed-over&active_backend_id=" + SECONDARY, "3.26"));
            assertEquals(List.of(CLUSTER), clusterNames("/clusters/detail?active_backend_id=" + SECONDARY, "3.26"));
            assertEquals(List.of(), clusterNames("/clusters?replication_status=enabled", "3.26"));
            Rest.Response already =
                    rest.put(V + "/os-services/failover_host", Map.of("host", "r1@fs", "backend_id", SECONDARY), "3.0");
            assertEquals(400, already.status(), "already on " + SECONDARY + ": " + already);

            requestIds.add(failoverHost("r3@fs", "default"));
            awaitActive(null);
            awaitJournalRowFinal(requestIds.get(1));

            // Round 2: backend_id null (the only target); two at once, one wins the claim and the other gets 400.
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("host", "r1@fs");
            body.put("backend_id", null);
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Rest.Response>> racing = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                racing.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return rest.put(V + "/os-services/failover_host", body, "3.0");
                }));
            }
            start.countDown();
            List<Rest.Response> raced =
                    racing.stream().map(CompletableFuture::join).toList();
            List<Integer> statuses =
                    raced.stream().map(Rest.Response::status).sorted().toList();
            assertEquals(List.of(202, 400), statuses, raced.toString());
            Rest.Response winner =
                    raced.stream().filter(r -> r.status() == 202).findFirst().orElseThrow();
            requestIds.add(winner.header(Rest.REQUEST_ID_HEADER).orElseThrow());
            awaitActive(SECONDARY);
            awaitJournalRowFinal(requestIds.get(2));

            requestIds.add(failoverHost("r1@fs", "default"));
            awaitActive(null);
            awaitJournalRowFinal(requestIds.get(3));
        } finally {
            setReplicationStatusIf("disabled", "enabled");
            failBackIfNeeded();
        }

        // The journal: four rows, newest first, each completed with every member's acknowledgement.
        List<JsonNode> journal = journalPages(V + "/tandem/failovers?target=" + CLUSTER, 0);
        List<JsonNode> ours =
                journal.stream().filter(r -> r.path("id").asLong() > before).toList();
        assertEquals(4, ours.size(), journal.toString());
        List<String> newestRequestFirst = reversed(requestIds);
        List<String> kinds = List.of("failback", "failover", "failback", "failover");
        long previousEpoch = Long.MAX_VALUE;
        for (int i = 0; i < ours.size(); i++) {
            JsonNode row = ours.get(i);
            String failover = row.toString();
            if (i > 0) {
                assertTrue(row.path("id").asLong() < ours.get(i - 1).path("id").asLong(), "newest first: " + journal);
            }
            assertEquals(kinds.get(i), row.path("kind").asText(), failover);
            assertEquals("cluster", row.path("scope").asText(), "a member host stands for its cluster: " + failover);
            assertEquals(CLUSTER, row.path("target").asText(), failover);
            assertEquals("completed", row.path("phase").asText(), failover);
            assertEquals(newestRequestFirst.get(i), row.path("request_id").asText(), failover);
            assertEquals("admin", row.path("requested_by").asText(), failover);
            assertTrue(row.path("error").isNull(), failover);
            assertTrue(row.path("owner").isNull(), "no owner once final: " + failover);
            if (kinds.get(i).equals("failover")) {
                assertTrue(row.path("from_backend_id").isNull(), failover);
                assertEquals(SECONDARY, row.path("to_backend_id").asText(), failover);
            } else {
                assertEquals(SECONDARY, row.path("from_backend_id").asText(), failover);
                assertTrue(row.path("to_backend_id").isNull(), failover);
            }
            long epoch = row.path("epoch").asLong();
            assertTrue(epoch > 0 && epoch < previousEpoch, "epochs grow with ids: " + journal);
            if (previousEpoch != Long.MAX_VALUE) {
                assertEquals(previousEpoch - 1, epoch, "each commit increments the epoch once: " + journal);
            }
            previousEpoch = epoch;
            for (String time : List.of("claimed_at", "promoted_at", "committed_at", "completed_at")) {
                assertTrue(row.hasNonNull(time), time + ": " + failover);
            }
            assertTrue(
                    row.get("duration_ms").isIntegralNumber()
                            && row.get("duration_ms").asLong() >= 0,
                    failover);
            assertEquals(MEMBERS, hosts(row.path("members")), failover);
            for (JsonNode member : row.path("members")) {
                assertEquals(epoch, member.path("acked_epoch").asLong(), "acked: " + member);
                assertTrue(member.hasNonNull("acked_at"), member.toString());
                assertFalse(member.path("fenced").asBoolean(true), member.toString());
                assertTrue(member.path("error").isNull(), member.toString());
                assertTrue(member.path("attempts").asInt() >= 1, member.toString());
            }

            // Show answers the same row, with and without a project id in the path.
            long id = row.path("id").asLong();
            for (String path : List.of(V + "/tandem/failovers/" + id, "/v3/tandem/failovers/" + id)) {
                Rest.Response show = rest.get(path, "3.26");
                assertEquals(200, show.status(), show.toString());
                assertEquals(row, show.json().path("failover"), show.toString());
            }
        }
        assertEquals(
                system.db().scalar("SELECT max(epoch) FROM clusters WHERE name = ?", CLUSTER),
                ours.get(0).path("epoch").asLong());
        assertEquals(
                4, system.db().scalar("SELECT count(*) FROM failovers WHERE target = ? AND id > ?", CLUSTER, before));

        // List: everything (no target), target filters, unfinished, limit + marker.
        List<Long> ourIds = ours.stream().map(r -> r.path("id").asLong()).toList();
        List<Long> everything = journalPages(V + "/tandem/failovers", 0).stream()
                .map(r -> r.path("id").asLong())
                .toList();
        assertTrue(everything.containsAll(ourIds), everything.toString());
        assertEquals(everything.stream().sorted(Comparator.reverseOrder()).toList(), everything, "newest first");
        assertEquals(List.of(), journalPages(V + "/tandem/failovers?target=nope@fs", 0));
        assertEquals(List.of(), journalPages(V + "/tandem/failovers?target=" + CLUSTER + "&unfinished=true", 0));
        assertEquals(List.of(), journalPages("/v3/tandem/failovers?target=" + CLUSTER + "&unfinished=1", 0));
        assertEquals(journal, journalPages(V + "/tandem/failovers?target=" + CLUSTER + "&unfinished=false", 0));
        assertEquals(journal, journalPages(V + "/tandem/failovers?target=" + CLUSTER + "&limit=3", 3));
        assertEquals(journal, journalPages(V + "/tandem/failovers?target=" + CLUSTER + "&limit=1", 1));
        List<JsonNode> afterNewest =
                journalPages(V + "/tandem/failovers?target=" + CLUSTER + "&marker=" + ourIds.get(0), 0);
        assertEquals(journal.subList(1, journal.size()), afterNewest);

        Rest.Response negative = rest.get(V + "/tandem/failovers?limit=-1", "3.26");
        assertEquals(400, negative.status(), negative.toString());
        assertEquals(
                Optional.of("Invalid input received: limit must not be negative."),
                negative.faultMessage(),
                negative.toString());
        Rest.Response notBoolean = rest.get(V + "/tandem/failovers?unfinished=maybe", "3.26");
        assertEquals(400, notBoolean.status(), notBoolean.toString());
        Rest.Response badMarker = rest.get(V + "/tandem/failovers?marker=abc", "3.26");
        assertEquals(400, badMarker.status(), badMarker.toString());
        long missing = ourIds.get(0) + 1_000_000;
        Rest.Response notFound = rest.get(V + "/tandem/failovers/" + missing, "3.26");
        assertEquals(404, notFound.status(), notFound.toString());
        assertEquals(
                Optional.of("Failover " + missing + " could not be found."),
                notFound.faultMessage(),
                notFound.toString());
        for (String id : List.of("0", "abc")) {
            Rest.Response bad = rest.get(V + "/tandem/failovers/" + id, "3.26");
            assertEquals(400, bad.status(), bad.toString());
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static JsonNode json(String text) {
        try {
            return Rest.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static String host(JsonNode service) {
        return service.path("host").asText();
    }

    private static Set<String> hosts(Iterable<JsonNode> nodes) {
        Set<String> hosts = new HashSet<>();
        nodes.forEach(n -> hosts.add(host(n)));
        return hosts;
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    /** GET os-services with {@code query} at {@code version}; 200 asserted. */
    private static List<JsonNode> services(String query, String version) {
        Rest.Response response = rest.get(V + "/os-services" + query, version);
        assertEquals(200, response.status(), response.toString());
        List<JsonNode> services = new ArrayList<>();
        response.json().path("services").forEach(services::add);
        return services;
    }

    private static JsonNode service(String host, String binary) {
        List<JsonNode> found = services("?host=" + host + "&binary=" + binary, "3.26");
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }

    private static Optional<String> serviceColumn(String column, String host, String binary) {
        return system.db().text("SELECT " + column + " FROM services WHERE host = ? AND binary_name = ?", host, binary);
    }

    private static Optional<String> clusterColumn(String column) {
        return system.db()
                .text("SELECT " + column + " FROM clusters WHERE name = ? AND binary_name = 'volume'", CLUSTER);
    }

    private static List<String> clusterNames(String pathAndQuery, String version) {
        Rest.Response response = rest.get(V + pathAndQuery, version);
        assertEquals(200, response.status(), response.toString());
        List<String> names = new ArrayList<>();
        response.json().path("clusters").forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    private static JsonNode onlyCluster(Rest.Response response) {
        assertEquals(200, response.status(), response.toString());
        JsonNode clusters = response.json().path("clusters");
        assertEquals(1, clusters.size(), response.toString());
        return clusters.get(0);
    }

    private static JsonNode clusterShow(String version) {
        Rest.Response show = rest.get(CLUSTER_SHOW, version);
        assertEquals(200, show.status(), show.toString());
        return show.json().path("cluster");
    }

    /** Disabled clusters take no creates. */
    private static void enableTheCluster() {
        Rest.Response enable = rest.put(V + "/clusters/enable", Map.of("name", CLUSTER), "3.7");
        assertEquals(200, enable.status(), enable.toString());
    }

    private static String create(Rest client, String project, String name, int size) {
        Rest.Response created = client.post(
                "/v3/" + project + "/volumes", Map.of("volume", Map.of("size", size, "name", name)), "3.26");
        assertEquals(202, created.status(), created.toString());
        return created.json().at("/volume/id").asText();
    }

    private static JsonNode volume(Rest client, String v, String id) {
        Rest.Response response = client.get(v + "/volumes/" + id, "3.26");
        assertEquals(200, response.status(), response.toString());
        return response.json().path("volume");
    }

    private static JsonNode awaitVolume(Rest client, String v, String id, String what, Predicate<JsonNode> condition) {
        return Eventually.awaitValue(SETTLE, "volume " + id + " " + what, () -> {
            JsonNode volume = volume(client, v, id);
            if (volume.path("status").asText().startsWith("error")) {
                throw new AssertionError("volume " + id + " failed: " + volume + "\n" + system.diagnostics());
            }
            return condition.test(volume) ? Optional.of(volume) : Optional.empty();
        });
    }

    private static void awaitGone(String id) {
        Eventually.await(
                SETTLE,
                "volume " + id + " deleted (404)",
                () -> rest.get(V + "/volumes/" + id, "3.26").status() == 404);
    }

    private static List<String> volumeIds(Rest.Response response) {
        assertEquals(200, response.status(), response.toString());
        List<String> ids = new ArrayList<>();
        response.json().path("volumes").forEach(v -> ids.add(v.path("id").asText()));
        return ids;
    }

    /** The first column of every row, as text. */
    private static List<String> ids(String query, Object... params) {
        try (Connection c = system.stack().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rows = s.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    /** PUT failover_host at 3.0; 202 with an empty body asserted; returns the request id. */
    private static String failoverHost(String host, String backendId) {
        Rest.Response response =
                rest.put(V + "/os-services/failover_host", Map.of("host", host, "backend_id", backendId), "3.0");
        assertEquals(202, response.status(), response.toString());
        assertEquals("", response.body().strip(), response.toString());
        return response.header(Rest.REQUEST_ID_HEADER).orElseThrow();
    }

    /**
     * Polls cluster show until the cluster serves {@code backendId} (null: the primary), then checks every member
     * through os-services and the database rows.
     */
    private static void awaitActive(String backendId) {
        String status = backendId == null ? "enabled" : "failed-over";
        Predicate<JsonNode> serving = n -> n.path("replication_status").asText().equals(status)
                && (backendId == null
                        ? n.path("active_backend_id").isNull()
                        : n.path("active_backend_id").asText().equals(backendId));
        JsonNode cluster = Eventually.awaitValue(SETTLE, CLUSTER + " " + status + " on " + backendId, () -> {
            JsonNode c = clusterShow("3.26");
            return serving.test(c) ? Optional.of(c) : Optional.empty();
        });
        assertEquals(3, cluster.path("num_hosts").asInt(), cluster.toString());
        Eventually.await(SETTLE, "every member " + status, () -> services("?binary=cinder-volume", "3.26").stream()
                .allMatch(serving));
        assertEquals(Optional.of(status), clusterColumn("replication_status"));
        assertEquals(Optional.ofNullable(backendId), clusterColumn("active_backend_id"));
        assertEquals(
                Map.of(status, 3L),
                system.db()
                        .countBy(
                                "SELECT replication_status, count(*) FROM services WHERE cluster_name = ?"
                                        + " GROUP BY replication_status",
                                CLUSTER));
    }

    /** The newest journal row of the cluster, by its request id, until it is final. */
    private static void awaitJournalRowFinal(String requestId) {
        Eventually.await(SETTLE, "the journal row of " + requestId + " final", () -> {
            Rest.Response page = rest.get(V + "/tandem/failovers?target=" + CLUSTER + "&limit=1", "3.26");
            assertEquals(200, page.status(), page.toString());
            JsonNode row = page.json().path("failovers").path(0);
            return row.path("request_id").asText().equals(requestId)
                    && !row.path("phase").asText().isEmpty()
                    && Set.of("completed", "completed-with-fenced-members", "failed", "reverted")
                            .contains(row.path("phase").asText());
        });
    }

    private static long newestJournalId() {
        Rest.Response page = rest.get(V + "/tandem/failovers?target=" + CLUSTER + "&limit=1", "3.26");
        assertEquals(200, page.status(), page.toString());
        return page.json().path("failovers").path(0).path("id").asLong(0);
    }

    /**
     * Every row from {@code path} on, following failovers_links next; with {@code limit} > 0, every page but the last
     * has exactly that many rows and a next link whose marker is its last id, and the last has none.
     */
    private static List<JsonNode> journalPages(String path, int limit) {
        List<JsonNode> rows = new ArrayList<>();
        String next = path;
        int pages = 0;
        while (next != null) {
            assertTrue(++pages <= 100, "too many pages from " + path);
            Rest.Response page = rest.get(next, "3.26");
            assertEquals(200, page.status(), page.toString());
            JsonNode failovers = page.json().path("failovers");
            assertTrue(failovers.isArray(), page.toString());
            failovers.forEach(rows::add);
            JsonNode links = page.json().path("failovers_links");
            if (links.isMissingNode()) {
                next = null;
                if (limit > 0) {
                    assertTrue(failovers.size() <= limit, page.toString());
                }
            } else {
                if (limit > 0) {
                    assertEquals(limit, failovers.size(), page.toString());
                }
                assertEquals("next", links.path(0).path("rel").asText(), page.toString());
                String href = links.path(0).path("href").asText();
                long last = failovers.get(failovers.size() - 1).path("id").asLong();
                assertTrue(href.contains("marker=" + last), page.toString());
                assertTrue(href.startsWith(rest.base()), page.toString());
                next = href.substring(rest.base().length());
            }
        }
        return rows;
    }

    private static void setReplicationStatus(String status) {
        system.db().update("UPDATE clusters SET replication_status = ? WHERE name = ?", status, CLUSTER);
        system.db().update("UPDATE services SET replication_status = ? WHERE cluster_name = ?", status, CLUSTER);
    }

    private static void setReplicationStatusIf(String from, String to) {
        system.db()
                .update(
                        "UPDATE clusters SET replication_status = ? WHERE name = ? AND replication_status = ?",
                        to,
                        CLUSTER,
                        from);
        system.db()
                .update(
                        "UPDATE services SET replication_status = ? WHERE cluster_name = ? AND replication_status = ?",
                        to,
                        CLUSTER,
                        from);
    }

    /** Back on the primary, whatever a failed assertion left behind. */
    private static void failBackIfNeeded() {
        Eventually.await(SETTLE, CLUSTER + " back on its primary", () -> {
            JsonNode cluster = clusterShow("3.26");
            if (cluster.path("active_backend_id").isNull()
                    && cluster.path("replication_status").asText().equals("enabled")) {
                return true;
            }
            if (cluster.path("replication_status").asText().equals("failed-over")) {
                rest.put(V + "/os-services/failover", Map.of("cluster", CLUSTER, "backend_id", "default"), "3.26");
            }
            return false;
        });
        assertNotEquals(Optional.of("failed-over"), clusterColumn("replication_status"));
    }
}
