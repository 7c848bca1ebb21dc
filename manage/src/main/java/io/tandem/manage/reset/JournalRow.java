package io.tandem.manage.reset;

/** An unfinished row of the failover journal: what the reset names when it refuses to go behind it. */
public record JournalRow(long id, String kind, String phase) {}
