/**
 * Reply numbers: the pool of SMS numbers, which number each SMS member sees each of their groups
 * from, how an inbound text (phone, number) finds its group, and a phone's opt-out and mutes.
 */
package io.groupwire.core.reply;
