package io.groupwire.core.testing;

import static io.groupwire.core.testing.TestRedis.await;

import io.groupwire.core.redis.Keys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;

/** Users written straight into Redis in the directory's layout, for tests that need thousands of them. */
public final class BulkUsers {
    private BulkUsers() {
    }

    /** Writes {@code n} users named {@code prefix0..prefix(n-1)} in one batch; answers their ids. */
    public static List<String> write(Redis redis, String prefix, int n) {
        List<Request> writes = new ArrayList<>(n);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            ids.add(id);
            writes.add(Request.cmd(Command.HSET).arg(Keys.user(id)).arg("id").arg(id).arg("name").arg(id));
        }
        await(redis.batch(writes));
        return ids;
    }
}
