/**
 * The APNs adapter: sends deliveries as alert notifications through Pushy over HTTP/2 with
 * token authentication, and maps Apple's answers to outcomes.
 */
package io.groupwire.push.apns;
