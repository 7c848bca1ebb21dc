package io.tandem.persistence.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.persistence.TestDatabases;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.volume.VolumeQuery.SortKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Insert and keyset pagination: walking every page visits every matching volume once, in order, for every sort. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VolumeRepositoryTest {
    private static final int VOLUMES = 257;

    private DataSource dataSource;
    private VolumeRepository volumes;
    private final List<VolumeRow> all = new ArrayList<>();

    @BeforeAll
    void fill() {
        dataSource = TestDatabases.pool(TestDatabases.migrated(), 2);
        volumes = new VolumeRepository(dataSource);
        for (int i = 0; i < VOLUMES; i++) {
            // Few distinct names and sizes, some NULL names: ties and NULLs are where keyset pagination breaks.
            NewVolume v = new NewVolume(
                    UUID.randomUUID(),
                    i % 3 == 0 ? "p1" : "p2",
                    "u",
                    i % 5 == 0 ? null : "vol-" + (i % 7),
                    null,
                    1 + i % 4,
                    "c1@fs",
                    "n1@fs",
                    "disabled");
            all.add(Transactions.inTransaction(dataSource, c -> VolumeRepository.insert(c, v))
                    .orElseThrow());
        }
    }

    @Test
    void insertReturnsTheRowInCreatingAndIgnoresADuplicateId() {
        VolumeRow first = all.get(0);
        assertEquals("creating", first.status());
        NewVolume again = new NewVolume(first.id(), "p9", "u", "x", null, 9, null, null, "disabled");
        assertEquals(Optional.empty(), Transactions.inTransaction(dataSource, c -> VolumeRepository.insert(c, again)));
        assertEquals(first.sizeGb(), volumes.find(first.id()).orElseThrow().sizeGb(), "the original is untouched");
    }

    @Test
    void everySortKeyAndDirectionVisitsEveryVolumeOnceInOrder() {
        for (SortKey key : SortKey.values()) {
            for (boolean ascending : new boolean[] {true, false}) {
                for (String project : new String[] {null, "p1"}) {
                    List<UUID> walked = walk(project, key, ascending, 10);
                    List<UUID> expected = all.stream()
                            .filter(v -> project == null || project.equals(v.projectId()))
                            .sorted(order(key, ascending))
                            .map(VolumeRow::id)
                            .collect(Collectors.toList());
                    assertEquals(expected, walked, key + (ascending ? " asc" : " desc") + " project " + project);
                }
            }
        }
    }

    @Test
    void filtersCombine() {
        VolumePage page =
                volumes.list(new VolumeQuery("p2", "vol-3", "creating", "c1@fs", SortKey.CREATED_AT, true, 1000, null));
        long expected = all.stream()
                .filter(v -> v.projectId().equals("p2") && "vol-3".equals(v.name()))
                .count();
        assertTrue(expected > 0);
        assertEquals(expected, page.volumes().size());
        assertTrue(page.nextMarker().isEmpty(), "a page that holds everything is the last");
    }

    @Test
    void anUnknownOrForeignMarkerIsRefused() {
        assertThrows(
                InvalidArgumentException.class,
                () -> volumes.list(new VolumeQuery(null, null, null, null, SortKey.ID, true, 5, UUID.randomUUID())));
        UUID p2Volume = all.stream()
                .filter(v -> v.projectId().equals("p2"))
                .findFirst()
                .orElseThrow()
                .id();
        assertThrows(
                InvalidArgumentException.class,
                () -> volumes.list(new VolumeQuery("p1", null, null, null, SortKey.ID, true, 5, p2Volume)),
                "a project cannot page through another project's volume");
    }

    private List<UUID> walk(String project, SortKey key, boolean ascending, int pageSize) {
        List<UUID> walked = new ArrayList<>();
        UUID marker = null;
        do {
            VolumePage page =
                    volumes.list(new VolumeQuery(project, null, null, null, key, ascending, pageSize, marker));
            page.volumes().forEach(v -> walked.add(v.id()));
            marker = page.nextMarker().orElse(null);
        } while (marker != null);
        return walked;
    }

    /** The order the database must produce: the sort value (NULL names as ''), then the id, both in the direction. */
    private static Comparator<VolumeRow> order(SortKey key, boolean ascending) {
        Comparator<VolumeRow> byValue =
                switch (key) {
                    case CREATED_AT -> Comparator.comparing(VolumeRow::createdAt);
                    case UPDATED_AT -> Comparator.comparing(VolumeRow::updatedAt);
                    case ID -> (a, b) -> 0;
                    case NAME -> Comparator.comparing(v -> v.name() == null ? "" : v.name(), VolumeRepositoryTest::c);
                    case SIZE -> Comparator.comparingInt(VolumeRow::sizeGb);
                    case STATUS -> Comparator.comparing(VolumeRow::status);
                };
        Comparator<VolumeRow> full = byValue.thenComparing(v -> v.id().toString());
        return ascending ? full : full.reversed();
    }

    /** PostgreSQL's collation here is C-like for these ASCII names; compare bytewise. */
    private static int c(String a, String b) {
        return a.compareTo(b);
    }
}
