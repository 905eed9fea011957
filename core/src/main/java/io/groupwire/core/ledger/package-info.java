/**
 * The pacer's side of the per-message ledger: marking deliveries {@code sending} before the
 * provider call, and recording outcomes, retries and dead letters with the claims'
 * acknowledgement.
 */
package io.groupwire.core.ledger;
