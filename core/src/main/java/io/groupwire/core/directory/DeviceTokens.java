package io.groupwire.core.directory;

import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HexFormat;

/**
 * Who holds a device token: one owner record per platform and token ({@link Keys#deviceToken}),
 * naming the one registration that receives messages for it. A token belongs to one user at a
 * time, so a phone that signs into another account stops receiving the first account's messages,
 * and a token registered by someone else stops reaching the user who registered it before.
 *
 * <p>The record, a single key, is the truth; the users' device hashes, which live in other Redis
 * Cluster slots, are indexes of it. A registration in a user's hash is live only while the token's
 * record names it ({@link #live}), so moving a token is one atomic {@code SET ... GET} and takes
 * effect at once on a cluster too, however a later step (removing the previous owner's now dead
 * entry) fares. A token with no record at all was registered before records existed and stays live
 * until it is registered or released again.
 */
public final class DeviceTokens {
    /** The record of a token that nobody holds any more: no registration matches it. */
    static final String NOBODY = "-";

    private final Redis redis;

    DeviceTokens(Redis redis) {
        this.redis = redis;
    }

    /** The owner record of a device's token; only a hash of the token is in the key. */
    static String ownerKey(Device device) {
        return ownerKey(device.platform(), device.token());
    }

    static String ownerKey(Channel platform, String token) {
        return Keys.deviceToken(HexFormat.of().formatHex(Ids.sha256(platform.id() + '\n' + token)));
    }

    /** What the record holds while {@code device} owns the token. */
    static String ownerValue(Device device) {
        return device.userId() + ' ' + device.id();
    }

    /** The request that reads the owner record of a device's token, for callers that pipeline it. */
    public static Request ownerRead(Device device) {
        return Request.cmd(Command.GET).arg(ownerKey(device));
    }

    /**
     * Whether {@code device} receives messages, given its token's owner record as {@link #ownerRead}
     * answered it: when the record names it, or when there is no record (a registration older than
     * records).
     */
    public static boolean live(Device device, Response owner) {
        return owner == null || ownerValue(device).equals(owner.toString());
    }

    /**
     * What a claim found.
     *
     * @param changed       whether the record named another registration, or none, before
     * @param previousOwner the user whose registration of the token ended, or null for none
     */
    record Claim(boolean changed, String previousOwner) {
    }

    /** Makes {@code device} the token's one live registration. */
    Future<Claim> claim(Device device) {
        String mine = ownerValue(device);
        return redis.send(Request.cmd(Command.SET).arg(ownerKey(device)).arg(mine).arg("GET")).map(r -> {
            String before = r == null ? null : r.toString();
            if (mine.equals(before)) {
                return new Claim(false, null);
            }
            int space = before == null ? -1 : before.indexOf(' ');
            return new Claim(true, space < 0 ? null : before.substring(0, space));
        });
    }
}
