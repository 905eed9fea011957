/**
 * The Twilio-style SMS adapter: sends through the Messages API and maps its answers, and its
 * own connection failures, to outcomes, never resending what may have gone out.
 */
package io.groupwire.sms.twilio;
