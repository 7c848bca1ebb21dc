package io.tandem.scheduler.domain.dispatch;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.tandem.core.retry.Backoff;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.proto.v1.VolumeServiceCreateVolumeRequest;
import io.tandem.proto.v1.VolumeServiceDeleteVolumeRequest;
import io.tandem.proto.v1.VolumeServiceExtendVolumeRequest;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.proto.v1.VolumeServiceGrpc.VolumeServiceFutureStub;
import io.tandem.runtime.grpc.MemberChannels;
import io.tandem.runtime.grpc.RequestIds;
import io.tandem.scheduler.config.SchedulerConfiguration;
import io.tandem.scheduler.domain.placement.MemberDirectory;
import io.tandem.scheduler.domain.placement.Target;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Hands an operation whose workers row is written to a member, in the background (volume-protocol.md):
 *
 * <ul>
 *   <li>one async call with the configured deadline, carrying the request id and the epoch placement saw;
 *   <li>a member that does not answer (UNAVAILABLE, DEADLINE_EXCEEDED) is replaced after a backoff: the workers row
 *       moves to another live member serving the epoch by compare-and-swap on (id, service_id, race_preventer,
 *       updated_at), together with {@code volumes.host} for a create, and that member is called. When the member
 *       has already claimed the row (a slow answer, not a dead member) the swap loses and the dispatch ends: the
 *       member finishes the operation. With no other member, the same one is tried again;
 *   <li>any other answer ends the dispatch: OK carries the outcome, and an error means the member refused (frozen,
 *       stale, busy), which another member would too;
 *   <li>after the configured attempts the row stays with the member tried last: its crash cleanup, or its own
 *       restart, finishes the operation, so nothing is left in creating forever.
 * </ul>
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final SchedulerConfiguration config;
    private final MemberDirectory directory;
    private final MemberPicker picker;
    private final MemberChannels channels;
    private final RowMover mover;
    private final Backoff backoff;
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService timer;
    private final AtomicInteger pending = new AtomicInteger();

    /** What to dispatch: the operation on one volume of {@code target}, for the request {@code requestId}. */
    public record Job(Operation operation, UUID volumeId, Target target, int newSizeGb, String requestId) {}

    public Dispatcher(
            SchedulerConfiguration config,
            MemberDirectory directory,
            MemberPicker picker,
            MemberChannels channels,
            RowMover mover) {
        this.config = config;
        this.directory = directory;
        this.picker = picker;
        this.channels = channels;
        this.mover = mover;
        this.backoff = new Backoff(
                config.getDispatchAttempts(), config.getDispatchBackoffInitial(), config.getDispatchBackoffMax());
        // Bounded: a burst queues up to the capacity, then the caller runs the step itself, which slows the burst
        // down instead of dropping an operation whose rows are already committed.
        this.executor = new ThreadPoolExecutor(
                config.getDispatchThreads(),
                config.getDispatchThreads(),
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.getDispatchQueueCapacity()),
                daemon("tandem-dispatch"),
                new ThreadPoolExecutor.CallerRunsPolicy());
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("tandem-redispatch"));
    }

    /**
     * Calls {@code member} (already counted by the {@link MemberPicker}) for {@code job}, whose workers row as
     * committed is {@code row}; returns at once.
     */
    public void start(Job job, MemberInfo member, WorkerRow row) {
        pending.incrementAndGet();
        Attempt first = new Attempt(job, member, row, 1, new LinkedHashSet<>(Set.of(member.host())));
        run(job, () -> call(first));
    }

    /** Dispatches started and not finished yet (answered, refused, or given up). */
    public int pending() {
        return pending.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        executor.shutdownNow();
    }

    /** One call of an operation to one member. */
    private record Attempt(Job job, MemberInfo member, WorkerRow row, int number, Set<String> tried) {}

    private void call(Attempt attempt) {
        ListenableFuture<?> answer;
        try {
            answer = send(attempt);
        } catch (RuntimeException e) {
            answer = Futures.immediateFailedFuture(e);
        }
        Futures.addCallback(
                answer,
                new FutureCallback<Object>() {
                    @Override
                    public void onSuccess(Object response) {
                        withMdc(attempt.job(), () -> answered(attempt));
                    }

                    @Override
                    public void onFailure(Throwable failure) {
                        withMdc(attempt.job(), () -> failed(attempt, failure));
                    }
                },
                this::execute);
    }

    private ListenableFuture<?> send(Attempt attempt) {
        Job job = attempt.job();
        Metadata metadata = new Metadata();
        metadata.put(RequestIds.METADATA_KEY, job.requestId());
        VolumeServiceFutureStub stub = VolumeServiceGrpc.newFutureStub(
                        channels.channel(attempt.member().grpcAddress()))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                .withDeadlineAfter(config.getDispatchDeadline().toMillis(), TimeUnit.MILLISECONDS);
        String id = job.volumeId().toString();
        long epoch = job.target().epoch();
        LOG.debug(
                "Dispatching {} of volume {} to {} (attempt {})",
                job.operation().verb(),
                id,
                attempt.member().host(),
                attempt.number());
        return switch (job.operation()) {
            case CREATE -> stub.createVolume(VolumeServiceCreateVolumeRequest.newBuilder()
                    .setVolumeId(id)
                    .setExpectedEpoch(epoch)
                    .build());
            case DELETE -> stub.deleteVolume(VolumeServiceDeleteVolumeRequest.newBuilder()
                    .setVolumeId(id)
                    .setExpectedEpoch(epoch)
                    .build());
            case EXTEND -> stub.extendVolume(VolumeServiceExtendVolumeRequest.newBuilder()
                    .setVolumeId(id)
                    .setNewSizeGb(job.newSizeGb())
                    .setExpectedEpoch(epoch)
                    .build());
        };
    }

    private void answered(Attempt attempt) {
        LOG.debug(
                "{} of volume {} answered by {}",
                attempt.job().operation().verb(),
                attempt.job().volumeId(),
                attempt.member().host());
        finish(attempt);
    }

    private void failed(Attempt attempt, Throwable failure) {
        Status status = Status.fromThrowable(failure);
        Job job = attempt.job();
        String what = job.operation().verb() + " of volume " + job.volumeId();
        String answer =
                status.getCode() + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")");
        if (!unanswered(status)) {
            // The member refused (frozen, stale, busy, unknown volume): another member would refuse as well.
            LOG.warn("{} refused by {}: {}", what, attempt.member().host(), answer);
            finish(attempt);
            return;
        }
        if (attempt.number() >= config.getDispatchAttempts()) {
            LOG.warn(
                    "{} unanswered after {} attempt(s), last by {}: {}; its workers row stays with {}, whose crash"
                            + " cleanup or restart finishes it",
                    what,
                    attempt.number(),
                    attempt.member().host(),
                    answer,
                    attempt.member().host());
            finish(attempt);
            return;
        }
        Duration pause = backoff.delayAfter(attempt.number());
        LOG.info(
                "{} unanswered by {} (attempt {}/{}): {}; redispatching in {} ms",
                what,
                attempt.member().host(),
                attempt.number(),
                config.getDispatchAttempts(),
                answer,
                pause.toMillis());
        try {
            timer.schedule(() -> run(job, () -> redispatch(attempt)), pause.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            finish(attempt); // shutting down: the row stays with its holder
        }
    }

    private void redispatch(Attempt previous) {
        Job job = previous.job();
        Optional<MemberInfo> next;
        try {
            next = picker.pick(directory.serving(job.target()), previous.tried());
        } catch (RuntimeException e) {
            LOG.warn(
                    "Redispatch of {} of volume {} stopped: {}",
                    job.operation().verb(),
                    job.volumeId(),
                    e.getMessage());
            finish(previous);
            return;
        }
        if (next.isEmpty()) {
            LOG.warn(
                    "No live member of {} serves epoch {}: {} of volume {} stays with {}",
                    job.target().name(),
                    job.target().epoch(),
                    job.operation().verb(),
                    job.volumeId(),
                    previous.member().host());
            finish(previous);
            return;
        }
        MemberInfo member = next.get();
        picker.done(previous.member().host());
        WorkerRow row = previous.row();
        if (!member.host().equals(previous.member().host())) {
            Optional<WorkerRow> moved = move(previous, member);
            if (moved.isEmpty()) {
                finishOn(member);
                return;
            }
            row = moved.get();
        }
        Set<String> tried = new LinkedHashSet<>(previous.tried());
        tried.add(member.host());
        call(new Attempt(job, member, row, previous.number() + 1, tried));
    }

    private Optional<WorkerRow> move(Attempt previous, MemberInfo member) {
        Job job = previous.job();
        try {
            Optional<WorkerRow> moved =
                    mover.move(job, previous.row(), previous.member().host(), member.host());
            if (moved.isEmpty()) {
                LOG.info(
                        "Workers row of volume {} changed since it was written (its member took it, or the {}"
                                + " ended): not moving it",
                        job.volumeId(),
                        job.operation().verb());
            } else {
                LOG.info("Moved {} of volume {} to {}", job.operation().verb(), job.volumeId(), member.host());
            }
            return moved;
        } catch (RuntimeException e) {
            LOG.warn("Could not move {} of volume {}: {}", job.operation().verb(), job.volumeId(), e.getMessage());
            return Optional.empty();
        }
    }

    private void finish(Attempt attempt) {
        finishOn(attempt.member());
    }

    private void finishOn(MemberInfo member) {
        picker.done(member.host());
        pending.decrementAndGet();
    }

    private static boolean unanswered(Status status) {
        return status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.DEADLINE_EXCEEDED;
    }

    private void run(Job job, Runnable step) {
        execute(() -> withMdc(job, step));
    }

    private void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // Only after close(): the process is stopping and the rows stay with their holders.
            LOG.debug("Dispatcher closed; dropping a dispatch step");
        }
    }

    private static void withMdc(Job job, Runnable step) {
        MDC.put(RequestIds.MDC_KEY, job.requestId());
        try {
            step.run();
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
