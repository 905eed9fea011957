/**
 * Each group's history of accepted messages (written by the enqueue script, read here), and likes:
 * who liked which kept message, changed atomically with the event that announces the change.
 */
package io.groupwire.core.history;
