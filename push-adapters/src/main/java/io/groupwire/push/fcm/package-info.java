/**
 * The FCM HTTP v1 adapter: sends each delivery as one {@code messages:send} request over HTTP/2
 * with an OAuth2 token from a service account, and maps FCM's answers to outcomes.
 */
package io.groupwire.push.fcm;
