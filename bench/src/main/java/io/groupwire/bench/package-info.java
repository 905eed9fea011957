/**
 * The benchmark behind {@code java -jar groupwire.jar bench}: the Redis ceiling, the mailbox and
 * the whole path (gateway, transport, pacer, sandbox providers) measured in one JVM
 * ({@link io.groupwire.bench.Bench} is the entry point).
 */
package io.groupwire.bench;
