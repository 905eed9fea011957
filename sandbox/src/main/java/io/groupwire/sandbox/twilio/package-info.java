/**
 * The Twilio-style SMS peer: the Messages API checked and answered as Twilio does, with strict
 * readers of its request bodies.
 */
package io.groupwire.sandbox.twilio;
