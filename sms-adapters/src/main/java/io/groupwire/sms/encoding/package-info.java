/**
 * SMS encoding and segmentation: GSM-7 or UCS-2, and how many segments a text takes, which is
 * what carriers bill and the pacer paces.
 */
package io.groupwire.sms.encoding;
