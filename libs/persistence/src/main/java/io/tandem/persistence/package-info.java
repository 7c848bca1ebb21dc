/**
 * Tandem's persistence library: plain JDBC on a {@link javax.sql.DataSource}, no framework, so that every service
 * wires it the same way.
 *
 * <ul>
 *   <li>{@link io.tandem.persistence.Migrations}: the schema (Flyway, {@code db/migration}), applied by every service
 *       at start, safe when several start at once.
 *   <li>{@link io.tandem.persistence.jdbc}: transactions, the one translation of SQL errors into Tandem's error
 *       hierarchy, small query helpers.
 *   <li>{@link io.tandem.persistence.cas.ConditionalUpdate}: compare-and-swap on rows; the status is the lock.
 *   <li>{@link io.tandem.persistence.workers}: the workers table as the lock of cleanable operations.
 *   <li>{@link io.tandem.persistence.cluster} and {@link io.tandem.persistence.service}: repositories, SQL in view.
 * </ul>
 *
 * <p>Methods that take a {@code Connection} throw {@link java.sql.SQLException} and run inside the caller's
 * transaction; methods on a {@code DataSource} run on their own connection and throw only unchecked exceptions
 * ({@code UnavailableException}, {@code AbortedException}, {@link io.tandem.persistence.jdbc.DatabaseException}).
 */
package io.tandem.persistence;
