/**
 * The Redis keyspace and how services reach it: the key layout with its per-shard hash tags,
 * the shard mapping and the agreed shard count, connection settings, and running the Lua
 * scripts.
 */
package io.groupwire.core.redis;
