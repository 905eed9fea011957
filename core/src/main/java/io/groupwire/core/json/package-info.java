/**
 * The JSON forms of messages and deliveries, as the mailbox and the outboxes hold them: one
 * shared, tolerant mapper, so that every service reads what another wrote.
 */
package io.groupwire.core.json;
