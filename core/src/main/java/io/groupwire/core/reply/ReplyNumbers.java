package io.groupwire.core.reply;

import io.groupwire.core.redis.Keys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.Objects;

/**
 * Reply numbers and what a phone asked for (STOP, MUTE), all in the phone's one hash
 * ({@link Keys#phone}): the transport asks for the number each SMS goes out from, the gateway and
 * sip-ingest resolve an inbound text to its sender and group, the directory releases numbers when
 * members leave or lose their phone.
 */
public final class ReplyNumbers {
    /**
     * A member's number for a group, and whether their SMS are wanted.
     *
     * @param number    the pool number the group's texts come from for this member
     * @param optedOut  the phone sent STOP (or the provider said it unsubscribed)
     * @param muted     the phone sent MUTE to this group's number
     * @param owner     the phone belongs to this user (false: another user registered the same phone,
     *                  who gets the shared number and whose replies route nowhere)
     */
    public record Assignment(String number, boolean optedOut, boolean muted, boolean owner) {
    }

    /**
     * Where an inbound text goes.
     *
     * @param userId   the phone's user, or null (unknown phone)
     * @param groupId  the group the number stands for to this phone, or null
     * @param optedOut the phone is opted out
     * @param muted    the phone muted that group
     */
    public record Route(String userId, String groupId, boolean optedOut, boolean muted) {
    }

    private final Redis redis;
    private final NumberPool pool;
    private final ReplyNumberScript assign;
    private final ReleaseNumberScript release;
    private final InboundRouteScript route;
    private final ForgetPhoneScript forget;

    /** @param pool the number pool, or null for a user of the pool-free calls only (the directory) */
    public ReplyNumbers(Redis redis, NumberPool pool) {
        this.redis = Objects.requireNonNull(redis);
        this.pool = pool;
        this.assign = pool == null ? null : new ReplyNumberScript(redis, pool);
        this.release = new ReleaseNumberScript(redis);
        this.route = new InboundRouteScript(redis);
        this.forget = new ForgetPhoneScript(redis);
    }

    public NumberPool pool() {
        return pool;
    }

    /** The number an SMS to this member for this group goes out from now; assigns one when needed. */
    public Future<Assignment> forSending(String userId, String phone, String groupId) {
        return assigner().run(userId, phone, groupId, true);
    }

    /** The member's number for the group, assigned when needed, without moving a shared number's replies. */
    public Future<Assignment> forViewing(String userId, String phone, String groupId) {
        return assigner().run(userId, phone, groupId, false);
    }

    private ReplyNumberScript assigner() {
        if (assign == null) {
            throw new IllegalStateException("no number pool configured");
        }
        return assign;
    }

    /** Records that a phone belongs to a user (new user); an inbound text finds its sender by it. */
    public Future<Void> claimPhone(String phone, String userId) {
        return redis.send(Request.cmd(Command.HSET).arg(Keys.phone(phone)).arg("user").arg(userId)).mapEmpty();
    }

    /** The member left the group: its number is free again for this phone. Completes with the number, or null. */
    public Future<String> release(String phone, String groupId) {
        return release.run(phone, groupId);
    }

    /** The user lost the phone: everything about it goes, if it still belongs to them. */
    public Future<Boolean> forgetPhone(String phone, String userId) {
        return forget.run(phone, userId);
    }

    /** Where a text from {@code phone} to {@code number} goes. */
    public Future<Route> route(String phone, String number) {
        return route.run(phone, number);
    }

    /** STOP: no SMS to this phone until START. Completes with whether it was opted in until now. */
    public Future<Boolean> optOut(String phone) {
        return redis.send(Request.cmd(Command.HSETNX).arg(Keys.phone(phone)).arg("optout").arg("1"))
                .map(r -> r.toInteger() == 1);
    }

    /** START: SMS again. Completes with whether it was opted out until now. */
    public Future<Boolean> optIn(String phone) {
        return redis.send(Request.cmd(Command.HDEL).arg(Keys.phone(phone)).arg("optout")).map(r -> r.toInteger() == 1);
    }

    /** MUTE (true) or UNMUTE (false) one group for this phone. */
    public Future<Void> mute(String phone, String groupId, boolean muted) {
        Request r = muted ? Request.cmd(Command.HSET).arg(Keys.phone(phone)).arg("m:" + groupId).arg("1")
                : Request.cmd(Command.HDEL).arg(Keys.phone(phone)).arg("m:" + groupId);
        return redis.send(r).mapEmpty();
    }
}
