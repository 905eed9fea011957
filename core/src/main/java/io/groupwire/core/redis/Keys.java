package io.groupwire.core.redis;

import io.groupwire.core.message.Channel;

/**
 * The Redis keyspace, in one place. Every key of a shard carries the hash tag {@code {sN}}, so a
 * shard's mailbox, ledgers, outboxes and groups live in one Redis Cluster slot and every script
 * touches a single slot. A user's keys carry the user id as their tag.
 *
 * <pre>
 * gw:config:shards                      shard count, fixed by the first service that starts
 * gw:dir:version                        bumped by every directory change that alters routing
 * gw:user:{uid}                         hash: id, name, phone, created_at
 * gw:user:{uid}:devices                 hash: device id to Device JSON
 * gw:token:{sha256}                     user id of an API token (only the hash is stored)
 * gw:devtoken:{sha256}                  the one live registration of a device token ("uid did", "-" for none;
 *                                       the hash of platform and token: the token is not in the key)
 * gw:{sN}:group:GID                     hash: id, name, creator_id, created_at, owner_id (once recorded)
 * gw:{sN}:group:GID:members             set of user ids
 * gw:{sN}:group:GID:admins              set of the members named admins (not the owner)
 * gw:{sN}:group:GID:joined              zset: member to join time ms (members older than it have none)
 * gw:{sN}:guids:BUCKET                  hash: source_guid field to the first message's record, per time bucket
 * gw:{sN}:senderguids:BUCKET            hash: source_guid field to its first use (group, text digest), for
 *                                       the senders whose id maps to shard N, per time bucket
 * gw:{sN}:mailbox (:inflight, :lease)   the FIFO mailbox, its claims, its owner
 * gw:{sN}:ledger:MID                    hash: delivery id to state
 * gw:{sN}:dead:mailbox, :dead:CH        dead letters: entries that failed processing too often
 * gw:{sN}:outbox:CH (:inflight, :lease) per-channel deliveries waiting for the pacer
 * gw:{sN}:retry:CH                      zset: deliveries waiting for a retry, scored by due time
 * gw:pause:CH                           set with an expiry while a provider asked everyone to wait
 * gw:bucket:CH                          the channel's token bucket (bucket4j state)
 * gw:limit:LIMIT:{subject}              a per-user or per-group rate limit's bucket (bucket4j state)
 * gw:{report}:instances                 zset: every reporting instance (ROLE:ID), scored by when its card expires
 * gw:{report}:instance:ROLE:ID          an instance's card (JSON): who, where, since when, what it owns, its totals
 * gw:{report}:1s:EPOCHSECOND            hash: instance to its figures of that second; expires after an hour
 * gw:{report}:10s:EPOCHSECOND/10        hash: instance to its figures of those ten seconds; expires after an hour
 * gw:{sN}:history:GID                   zset: the group's kept messages, scored by acceptance time (ms)
 * gw:{sN}:history:GID:m                 hash: message id to the message's JSON, for the ids in the zset
 * gw:{sN}:likes:GID:MID                 hash: user id to when they liked the message (ms)
 * gw:{sN}:likecount:GID                 hash: message id to its like count, kept by the counters consumer
 * gw:{sN}:counted:GID:MID               hash: user id to the last like event the counters applied (id:state)
 * gw:{sN}:notified:GID:MID              set: likers the notifier has notified of the message
 * gw:{sN}:events                        stream: the shard's events, read by consumer groups
 * gw:{sN}:dead:events                   list: events that failed too often (JSON), waiting for an operator
 * gw:phone:{PHONE}                      hash: the phone's owner, opt-out, mutes and reply numbers (reply_number.lua)
 * </pre>
 *
 * <p>The report keys share the hash tag {@code {report}}: one slot, apart from every shard, so that an
 * instance writes its whole report in one script call and the console reads it from one node.
 */
public final class Keys {
    public static final String CONFIG_SHARDS = "gw:config:shards";
    public static final String DIRECTORY_VERSION = "gw:dir:version";

    private Keys() {
    }

    public static String shardTag(int shard) {
        return "{s" + shard + "}";
    }

    private static String shard(int shard) {
        return "gw:" + shardTag(shard) + ":";
    }

    public static QueueKeys mailbox(int shard) {
        return QueueKeys.of(shard(shard) + "mailbox");
    }

    public static QueueKeys outbox(int shard, Channel channel) {
        return QueueKeys.of(shard(shard) + "outbox:" + channel.id());
    }

    public static String retry(int shard, Channel channel) {
        return shard(shard) + "retry:" + channel.id();
    }

    /** Dead letters of a queue: the mailbox ({@code channel == null}) or a channel's outbox. */
    public static String deadLetters(int shard, Channel channel) {
        return shard(shard) + "dead:" + (channel == null ? "mailbox" : channel.id());
    }

    public static String ledger(int shard, String messageId) {
        return shard(shard) + "ledger:" + messageId;
    }

    /** The source_guid records of a shard accepted in one time bucket (see {@code GuidBuckets}). */
    public static String guidBucket(int shard, long bucket) {
        return shard(shard) + "guids:" + bucket;
    }

    /** The source_guid bindings of the senders of lane (shard) {@code lane} made in one time bucket. */
    public static String senderGuidBucket(int lane, long bucket) {
        return shard(lane) + "senderguids:" + bucket;
    }

    public static String group(int shard, String groupId) {
        return shard(shard) + "group:" + groupId;
    }

    public static String groupMembers(int shard, String groupId) {
        return group(shard, groupId) + ":members";
    }

    public static String groupAdmins(int shard, String groupId) {
        return group(shard, groupId) + ":admins";
    }

    public static String groupJoined(int shard, String groupId) {
        return group(shard, groupId) + ":joined";
    }

    public static String user(String userId) {
        return "gw:user:{" + userId + "}";
    }

    public static String userDevices(String userId) {
        return user(userId) + ":devices";
    }

    public static String token(String tokenSha256Hex) {
        return "gw:token:{" + tokenSha256Hex + "}";
    }

    /** The owner record of a device token, by the SHA-256 (hex) of its platform and token. */
    public static String deviceToken(String platformTokenSha256Hex) {
        return "gw:devtoken:{" + platformTokenSha256Hex + "}";
    }

    public static String pause(Channel channel) {
        return "gw:pause:" + channel.id();
    }

    public static String bucket(Channel channel) {
        return "gw:bucket:" + channel.id();
    }

    /** The bucket of rate limit {@code limit} for {@code subject} (a user or a group id). */
    public static String limit(String limit, String subject) {
        return "gw:limit:" + limit + ":{" + subject + "}";
    }

    private static final String REPORT = "gw:{report}:";

    /** The sorted set of reporting instances, scored by when each one's card expires (ms). */
    public static String reportInstances() {
        return REPORT + "instances";
    }

    /** One instance's card; {@code member} is {@code ROLE:ID} as in {@link #reportInstances()}. */
    public static String reportCard(String member) {
        return REPORT + "instance:" + member;
    }

    /** The instances' figures of one second (epoch seconds). */
    public static String reportSecond(long epochSecond) {
        return REPORT + "1s:" + epochSecond;
    }

    /** The instances' figures of one ten-second window ({@code epochSecond / 10}). */
    public static String reportTenSeconds(long window) {
        return REPORT + "10s:" + window;
    }

    /** A group's kept messages: message ids scored by acceptance time (ms). */
    public static String history(int shard, String groupId) {
        return shard(shard) + "history:" + groupId;
    }

    /** The JSON of a group's kept messages, by message id. */
    public static String historyMessages(int shard, String groupId) {
        return history(shard, groupId) + ":m";
    }

    /** Who liked a message, and when. */
    public static String likes(int shard, String groupId, String messageId) {
        return shard(shard) + "likes:" + groupId + ":" + messageId;
    }

    /** A group's like counts by message id, as the counters consumer keeps them. */
    public static String likeCounts(int shard, String groupId) {
        return shard(shard) + "likecount:" + groupId;
    }

    /** The like events the counters applied to a message, per user. */
    public static String likesCounted(int shard, String groupId, String messageId) {
        return shard(shard) + "counted:" + groupId + ":" + messageId;
    }

    /** The likers of a message whose like the notifier has notified. */
    public static String likesNotified(int shard, String groupId, String messageId) {
        return shard(shard) + "notified:" + groupId + ":" + messageId;
    }

    /** The shard's event stream. */
    public static String events(int shard) {
        return shard(shard) + "events";
    }

    /** The shard's dead-lettered events. */
    public static String deadEvents(int shard) {
        return shard(shard) + "dead:events";
    }

    /** A phone's hash (owner, opt-out, mutes, reply numbers both ways), tagged with the phone so that one script reads it all. */
    public static String phone(String e164) {
        return "gw:phone:{" + e164 + "}";
    }
}
