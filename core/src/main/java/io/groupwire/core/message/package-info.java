/**
 * The message contract shared by all services: small immutable values for a message, a delivery
 * and the channels it can travel on.
 */
package io.groupwire.core.message;
