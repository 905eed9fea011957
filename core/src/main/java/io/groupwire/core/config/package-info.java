/**
 * Reading settings from the environment into typed values, and giving each service a Vert.x
 * context of its own. Every service's configuration object is built from {@code Env}, so a bad
 * value fails at start-up with the variable's name in the message.
 */
package io.groupwire.core.config;
