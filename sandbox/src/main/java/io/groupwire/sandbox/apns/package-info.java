/**
 * The APNs peer: Pushy's mock server over TLS with a handler that judges requests and provider
 * tokens the way APNs does, and the credentials it hands to clients.
 */
package io.groupwire.sandbox.apns;
