/**
 * Texts that come back from phones (an SMS webhook, a carrier's SIP MESSAGE): resolving
 * (phone, number) to sender and group, the carriers' keywords (STOP, START, HELP, MUTE), and the
 * same intake as the HTTP API.
 */
package io.groupwire.core.inbound;
