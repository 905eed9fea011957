/**
 * The all-in-one runner and the commands of {@code groupwire.jar}: every role in one JVM with
 * an embedded Redis and the sandbox providers, one service alone, and the operators'
 * {@code deadletters} command. The entry point is {@code io.groupwire.deploy.Main}.
 */
package io.groupwire.deploy;
