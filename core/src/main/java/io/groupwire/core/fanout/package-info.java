/**
 * The transport's exactly-once step: writing a claimed batch's deliveries into the outboxes and
 * acknowledging the claims in one script, guarded by a ledger per message.
 */
package io.groupwire.core.fanout;
