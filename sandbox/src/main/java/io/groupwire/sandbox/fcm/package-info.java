/**
 * The FCM peer: FCM HTTP v1's {@code messages:send} and Google's OAuth2 token endpoint on a Vert.x
 * router, with the service account it hands to clients.
 */
package io.groupwire.sandbox.fcm;
