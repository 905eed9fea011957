/**
 * The credential files the peers generate for their clients and reuse across restarts: a
 * self-signed TLS certificate, PEM texts, files written whole and private where they must be.
 */
package io.groupwire.sandbox.credentials;
