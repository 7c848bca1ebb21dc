package io.tandem.bench;

import io.grpc.Channel;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.volume.NewVolume;
import io.tandem.persistence.volume.VolumeRepository;
import io.tandem.proto.v1.ListVolumesRequest;
import io.tandem.proto.v1.ListVolumesResponse;
import io.tandem.proto.v1.SchedulerServiceGrpc;
import io.tandem.proto.v1.SortDirection;
import io.tandem.proto.v1.VolumeSortKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * ListVolumes at scale: inserts volumes straight into the table (VolumeRepository, as the scheduler does), then walks
 * every page of 1000 through the scheduler's gRPC, several rounds, and reports per-page times: what api-svc's
 * {@code GET /volumes/detail} costs at that size (REST-API.md asks for well under 100 ms a page at 10,000+).
 */
final class ListTiming {
    private static final int PAGE = 1000;
    private static final int BATCH = 1000;
    private static final int ROUNDS = 5;

    /** Per-page times of one walk kind, in milliseconds, the first round (cold) kept apart. */
    record Timing(String label, int pages, double firstPageColdMillis, double p50Millis, double maxMillis) {}

    private final Channel scheduler;
    private final DataSource dataSource;

    ListTiming(Channel scheduler, DataSource dataSource) {
        this.scheduler = scheduler;
        this.dataSource = dataSource;
    }

    /** Inserts {@code count} volumes of {@code project}, created a millisecond apart, and refreshes statistics. */
    void insert(String project, int count) {
        for (int done = 0; done < count; done += BATCH) {
            int batch = Math.min(BATCH, count - done);
            int offset = done;
            Transactions.inTransaction(dataSource, c -> {
                for (int i = 0; i < batch; i++) {
                    VolumeRepository.insert(
                            c,
                            new NewVolume(
                                    UUID.randomUUID(),
                                    project,
                                    "bench",
                                    "list-" + (offset + i),
                                    null,
                                    1 + (offset + i) % 100,
                                    "listing@bench",
                                    "n1@bench",
                                    "disabled"));
                }
                return null;
            });
        }
        // One transaction gives a batch one now(); real volumes are created apart, so spread them out.
        Transactions.withConnection(dataSource, c -> {
            Queries.update(
                    c,
                    "UPDATE volumes v SET created_at = v.created_at - s.n * interval '1 millisecond',"
                            + " status = 'available' FROM (SELECT id, row_number() OVER () AS n FROM volumes"
                            + " WHERE project_id = ?) s WHERE v.id = s.id",
                    project);
            Queries.update(c, "ANALYZE volumes");
            return null;
        });
    }

    /** Times every page of the default order (created_at desc) of {@code project}, and two other walks. */
    List<Timing> measure(String project) {
        List<Timing> timings = new ArrayList<>();
        timings.add(walk("project, created_at desc (default)", b -> b.setProjectId(project)));
        timings.add(walk("all_tenants, created_at desc", b -> b.setAllTenants(true)));
        timings.add(walk("project, name asc", b -> b.setProjectId(project)
                .setSortKey(VolumeSortKey.VOLUME_SORT_KEY_NAME)
                .setSortDir(SortDirection.SORT_DIRECTION_ASC)));
        return timings;
    }

    private Timing walk(String label, UnaryOperator<ListVolumesRequest.Builder> request) {
        List<Double> warm = new ArrayList<>();
        double cold = Double.NaN;
        int pages = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String marker = "";
            pages = 0;
            do {
                long start = System.nanoTime();
                ListVolumesResponse page = SchedulerServiceGrpc.newBlockingStub(scheduler)
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .listVolumes(request.apply(ListVolumesRequest.newBuilder())
                                .setLimit(PAGE)
                                .setMarker(marker)
                                .build());
                double millis = (System.nanoTime() - start) / 1e6;
                if (round == 0 && pages == 0) {
                    cold = millis;
                } else if (round > 0) {
                    warm.add(millis);
                }
                pages++;
                marker = page.getNextMarker();
            } while (!marker.isEmpty());
        }
        Collections.sort(warm);
        return new Timing(label, pages, cold, warm.get(warm.size() / 2), warm.get(warm.size() - 1));
    }
}
