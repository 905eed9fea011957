/**
 * The HTTP servers of every Groupwire service, hardened the same way: malformed requests get a 4xx
 * with a JSON error and cost at most one rate-limited log line, slow clients are cut off after a
 * bound, and one client address holds a bounded number of connections.
 */
package io.groupwire.core.http;
