/**
 * The public HTTP API: authentication, validation against the OpenAPI document, users, devices,
 * groups and idempotent message sends, answered 202 only once Redis holds the message. The
 * entry point is {@code io.groupwire.gateway.GatewayService}.
 */
package io.groupwire.gateway;
