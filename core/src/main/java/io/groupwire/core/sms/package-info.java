/**
 * SMS text encoding: the choice between GSM-7 and UCS-2 and the segment count, shared by the SMS
 * adapters (what a send costs) and the sandbox's SMS peers (what they report).
 */
package io.groupwire.core.sms;
