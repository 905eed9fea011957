/**
 * The boundary between the pacer and the provider adapters: the one client interface every
 * adapter implements, and the outcomes every provider answer is mapped to.
 */
package io.groupwire.core.delivery;
