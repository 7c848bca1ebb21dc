package io.tandem.scheduler.config;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.tandem.membership.EtcdMembership;
import io.tandem.runtime.grpc.MemberChannels;
import io.tandem.scheduler.domain.dispatch.Dispatcher;
import io.tandem.scheduler.domain.dispatch.MemberPicker;
import io.tandem.scheduler.domain.dispatch.RowMover;
import io.tandem.scheduler.domain.dispatch.ServiceIds;
import io.tandem.scheduler.domain.placement.CapacityLedger;
import io.tandem.scheduler.domain.placement.MemberDirectory;
import io.tandem.scheduler.domain.placement.Placement;
import io.tandem.scheduler.domain.placement.Placer;
import io.tandem.scheduler.domain.placement.StatsCache;
import io.tandem.scheduler.domain.placement.TargetRows;
import io.tandem.scheduler.domain.volumes.VolumeCreator;
import io.tandem.scheduler.domain.volumes.VolumeModifier;
import io.tandem.scheduler.domain.volumes.VolumeReader;
import jakarta.inject.Singleton;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Wires the scheduler's plain-Java domain from the process's DataSource, etcd membership and configuration. The
 * domain classes carry no Micronaut annotation, so tests build them the same way without a container.
 */
@Factory
public class SchedulerBeans {

    @Singleton
    TargetRows targetRows(DataSource dataSource) {
        return new TargetRows(dataSource);
    }

    @Singleton
    @Bean(preDestroy = "close")
    MemberDirectory memberDirectory(EtcdMembership membership) {
        return new MemberDirectory(membership);
    }

    @Singleton
    Placer placer(
            TargetRows targets, MemberDirectory directory, EtcdMembership membership, SchedulerConfiguration config) {
        CapacityLedger ledger = new CapacityLedger(config.getCapacityLedgerRetention(), Instant::now);
        return new Placer(
                targets,
                directory,
                new StatsCache(membership, config.getStatsRefreshInterval()),
                new Placement(ledger));
    }

    @Singleton
    MemberPicker memberPicker() {
        return new MemberPicker();
    }

    @Singleton
    ServiceIds serviceIds(DataSource dataSource) {
        return new ServiceIds(dataSource);
    }

    @Singleton
    @Bean(preDestroy = "close")
    MemberChannels memberChannels(SchedulerConfiguration config, MemberDirectory directory, ServiceIds serviceIds) {
        MemberChannels channels = new MemberChannels(
                // At shutdown, calls in flight get their own deadline to finish.
                config.getChannelIdleTimeout(), config.getDispatchDeadline());
        directory.onJoin(member -> {
            // A member that registers again may have a new row (rare) and certainly a fresh server to connect to.
            serviceIds.forget(member.host());
            channels.reconnect(member.grpcAddress());
        });
        directory.onLeave(member -> channels.drop(member.grpcAddress()));
        return channels;
    }

    @Singleton
    @Bean(preDestroy = "close")
    Dispatcher dispatcher(
            SchedulerConfiguration config,
            MemberDirectory directory,
            MemberPicker picker,
            MemberChannels channels,
            DataSource dataSource,
            ServiceIds serviceIds) {
        return new Dispatcher(config, directory, picker, channels, new RowMover(dataSource, serviceIds));
    }

    @Singleton
    VolumeCreator volumeCreator(
            DataSource dataSource,
            Placer placer,
            MemberPicker picker,
            ServiceIds serviceIds,
            Dispatcher dispatcher,
            SchedulerConfiguration config) {
        return new VolumeCreator(dataSource, placer, picker, serviceIds, dispatcher, config.getPlacementAttempts());
    }

    @Singleton
    VolumeModifier volumeModifier(
            DataSource dataSource,
            TargetRows targets,
            Placer placer,
            MemberPicker picker,
            ServiceIds serviceIds,
            Dispatcher dispatcher) {
        return new VolumeModifier(dataSource, targets, placer, picker, serviceIds, dispatcher);
    }

    @Singleton
    VolumeReader volumeReader(DataSource dataSource, SchedulerConfiguration config) {
        return new VolumeReader(dataSource, config.getDefaultListLimit(), config.getMaxListLimit());
    }
}
