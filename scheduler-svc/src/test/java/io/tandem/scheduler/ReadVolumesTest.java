package io.tandem.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.proto.v1.GetVolumeRequest;
import io.tandem.proto.v1.ListVolumesRequest;
import io.tandem.proto.v1.ListVolumesResponse;
import io.tandem.proto.v1.SortDirection;
import io.tandem.proto.v1.Volume;
import io.tandem.proto.v1.VolumeSortKey;
import io.tandem.proto.v1.VolumeStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GetVolume and ListVolumes as the REST facade uses them: project scope (another project's volume does not exist
 * unless all_tenants), keyset pages with a next marker, Cinder's default order, sort keys, filters, and the
 * INVALID_ARGUMENT cases. The maximum page is lowered to 20 here so that the clamp shows with few rows.
 */
class ReadVolumesTest {
    private static final int MAX = 20;

    private static SchedulerHarness harness;
    private static final List<VolumeRow> P1 = new ArrayList<>();
    private static VolumeRow other;

    @BeforeAll
    static void start() {
        harness = SchedulerHarness.start(
                ReadVolumesTest.class,
                Map.of("tandem.scheduler.default-list-limit", 10, "tandem.scheduler.max-list-limit", MAX));
        for (int i = 0; i < 25; i++) {
            String status = i % 5 == 0 ? "error" : "available";
            String cluster = i % 2 == 0 ? "even@fs" : "odd@fs";
            P1.add(harness.insertVolume("p1", cluster, "n1@fs", 1 + i % 7, status, "vol-" + (char) ('a' + i % 26)));
        }
        other = harness.insertVolume("p2", "even@fs", "n1@fs", 1, "available", "theirs");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void getAnswersOwnVolumesAndHidesOthersUnlessAllTenants() {
        VolumeRow mine = P1.get(0);
        Volume volume = harness.client()
                .getVolume(get(mine.id().toString(), "p1", false))
                .getVolume();
        assertEquals(mine.id().toString(), volume.getId());
        assertEquals(VolumeStatus.VOLUME_STATUS_ERROR, volume.getStatus());
        assertEquals(mine.sizeGb(), volume.getSizeGb());
        assertEquals("even@fs", volume.getClusterName());
        assertTrue(volume.hasCreatedAt());

        String theirs = other.id().toString();
        StatusRuntimeException hidden =
                assertCode(Status.Code.NOT_FOUND, () -> harness.client().getVolume(get(theirs, "p1", false)));
        assertEquals(
                "Volume " + theirs + " could not be found.", hidden.getStatus().getDescription());
        assertEquals(
                "p2",
                harness.client().getVolume(get(theirs, "", true)).getVolume().getProjectId());
        assertCode(Status.Code.NOT_FOUND, () -> harness.client()
                .getVolume(get(UUID.randomUUID().toString(), "p1", false)));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.client().getVolume(get("x", "p1", false)));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> harness.client().getVolume(get(theirs, "", false)));
    }

    @Test
    void pagesWalkEveryVolumeOnceInCindersDefaultOrder() {
        List<String> seen = new ArrayList<>();
        String marker = "";
        List<Integer> sizes = new ArrayList<>();
        do {
            ListVolumesResponse page = harness.client()
                    .listVolumes(ListVolumesRequest.newBuilder()
                            .setProjectId("p1")
                            .setMarker(marker)
                            .build());
            sizes.add(page.getVolumesCount());
            page.getVolumesList().forEach(v -> seen.add(v.getId()));
            marker = page.getNextMarker();
        } while (!marker.isEmpty());

        assertEquals(List.of(10, 10, 5), sizes, "the configured default page size is 10");
        List<String> expected = P1.stream()
                .sorted(Comparator.comparing(VolumeRow::createdAt)
                        .thenComparing(VolumeRow::id)
                        .reversed())
                .map(v -> v.id().toString())
                .toList();
        assertEquals(expected, seen, "created_at descending, id breaking ties, each volume once");
    }

    @Test
    void sortKeysDirectionsAndTheMaximumPage() {
        ListVolumesResponse bySize = harness.client()
                .listVolumes(ListVolumesRequest.newBuilder()
                        .setProjectId("p1")
                        .setLimit(1000)
                        .setSortKey(VolumeSortKey.VOLUME_SORT_KEY_SIZE)
                        .setSortDir(SortDirection.SORT_DIRECTION_ASC)
                        .build());
        assertEquals(MAX, bySize.getVolumesCount(), "a larger limit is lowered to the maximum");
        List<Integer> sizes =
                bySize.getVolumesList().stream().map(Volume::getSizeGb).toList();
        assertEquals(sizes.stream().sorted().toList(), sizes);

        List<String> names = new ArrayList<>();
        String marker = "";
        do {
            ListVolumesResponse page = harness.client()
                    .listVolumes(ListVolumesRequest.newBuilder()
                            .setProjectId("p1")
                            .setLimit(7)
                            .setMarker(marker)
                            .setSortKey(VolumeSortKey.VOLUME_SORT_KEY_NAME)
                            .setSortDir(SortDirection.SORT_DIRECTION_DESC)
                            .build());
            page.getVolumesList().forEach(v -> names.add(v.getName()));
            marker = page.getNextMarker();
        } while (!marker.isEmpty());
        assertEquals(25, names.size());
        assertEquals(names.stream().sorted(Comparator.reverseOrder()).toList(), names);
    }

    @Test
    void filtersByNameStatusAndClusterAndAllTenants() {
        assertEquals(
                5,
                list(ListVolumesRequest.newBuilder().setProjectId("p1").setStatus(VolumeStatus.VOLUME_STATUS_ERROR))
                        .getVolumesCount());
        assertEquals(
                1,
                list(ListVolumesRequest.newBuilder().setProjectId("p1").setName("vol-c"))
                        .getVolumesCount());
        assertEquals(
                13,
                list(ListVolumesRequest.newBuilder().setProjectId("p1").setClusterName("even@fs"))
                        .getVolumesCount());
        assertEquals(
                1,
                list(ListVolumesRequest.newBuilder().setAllTenants(true).setName("theirs"))
                        .getVolumesCount());
        assertEquals(
                0,
                list(ListVolumesRequest.newBuilder().setProjectId("p1").setName("theirs"))
                        .getVolumesCount());
        assertEquals(
                14,
                list(ListVolumesRequest.newBuilder().setAllTenants(true).setClusterName("even@fs"))
                        .getVolumesCount());
    }

    @Test
    void badLimitsMarkersAndScopesAreInvalidArguments() {
        assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> list(ListVolumesRequest.newBuilder().setProjectId("p1").setLimit(-1)));
        assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> list(ListVolumesRequest.newBuilder().setProjectId("p1").setMarker("nope")));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> list(ListVolumesRequest.newBuilder()));
        String theirs = other.id().toString();
        StatusRuntimeException outside = assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> list(ListVolumesRequest.newBuilder().setProjectId("p1").setMarker(theirs)));
        assertEquals(
                "Marker " + theirs + " could not be found.", outside.getStatus().getDescription());
        assertCode(
                Status.Code.INVALID_ARGUMENT,
                () -> list(ListVolumesRequest.newBuilder().setProjectId("p1").setSortKeyValue(99)));
    }

    private static ListVolumesResponse list(ListVolumesRequest.Builder request) {
        return harness.client()
                .listVolumes(request.setLimit(request.getLimit() == 0 ? MAX : request.getLimit())
                        .build());
    }

    private static GetVolumeRequest get(String id, String project, boolean allTenants) {
        return GetVolumeRequest.newBuilder()
                .setVolumeId(id)
                .setProjectId(project)
                .setAllTenants(allTenants)
                .build();
    }

    private static StatusRuntimeException assertCode(Status.Code code, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        return e;
    }
}
