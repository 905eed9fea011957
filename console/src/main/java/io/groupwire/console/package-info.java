/**
 * The operators' console: a web page that shows, live over Server-Sent Events, how fast messages
 * reach each provider and where they wait, traces a message by id and handles dead letters. It reads
 * Redis only (the instances' reports, the queues, the ledgers), like every other role.
 */
package io.groupwire.console;
