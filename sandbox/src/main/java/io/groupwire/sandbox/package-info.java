/**
 * Local stand-ins for the world outside Groupwire, for local runs and tests: the {@code sandbox}
 * command's service ({@link io.groupwire.sandbox.SandboxService}) with its control routes, the
 * {@link io.groupwire.sandbox.ReceivedLog} every provider peer records into, the
 * {@link io.groupwire.sandbox.SandboxFaults} they obey, and an embedded Redis. No service or
 * adapter depends on this module outside its tests.
 */
package io.groupwire.sandbox;
