/**
 * What the APNs and FCM adapters share: collapse ids, reading provider answers defensively, PEM
 * keys and certificates.
 */
package io.groupwire.push;
