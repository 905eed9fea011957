/**
 * The group directory in Redis: users and their API tokens, devices and phones, groups and
 * their members. Changes that alter routing bump the directory version the transport's route
 * cache watches.
 */
package io.groupwire.core.directory;
