package io.groupwire.transport;

import static io.groupwire.core.testing.TestRedis.await;

import io.groupwire.core.directory.Device;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Shards;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/** Writes directory entries straight into Redis in the layout of {@link Keys}, as the gateway does. */
final class DirectoryFixture {
    private final Redis redis;
    private final Shards shards;

    DirectoryFixture(Redis redis, Shards shards) {
        this.redis = redis;
        this.shards = shards;
    }

    void user(String id, String name, String phone) {
        Request r = Request.cmd(Command.HSET).arg(Keys.user(id)).arg("id").arg(id).arg("name").arg(name);
        if (phone != null) {
            r.arg("phone").arg(phone);
        }
        await(redis.send(r));
        bump();
    }

    void device(String userId, String deviceId, Channel platform, String token) {
        Device d = new Device(deviceId, userId, platform, token, System.currentTimeMillis());
        await(redis.send(Request.cmd(Command.HSET).arg(Keys.userDevices(userId)).arg(deviceId).arg(Json.write(d))));
        bump();
    }

    void group(String groupId, String name, String... members) {
        int s = shards.of(groupId);
        await(redis.send(Request.cmd(Command.HSET).arg(Keys.group(s, groupId)).arg("id").arg(groupId).arg("name").arg(name)));
        Request add = Request.cmd(Command.SADD).arg(Keys.groupMembers(s, groupId));
        for (String m : members) {
            add.arg(m);
        }
        await(redis.send(add));
        bump();
    }

    private void bump() {
        await(redis.send(Request.cmd(Command.INCR).arg(Keys.DIRECTORY_VERSION)));
    }
}
