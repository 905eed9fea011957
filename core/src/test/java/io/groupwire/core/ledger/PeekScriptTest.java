package io.groupwire.core.ledger;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.groupwire.core.message.Channel;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeekScriptTest extends RedisTestBase {
    private final String retry = Keys.retry(2, Channel.FCM);
    private final String outbox = Keys.outbox(2, Channel.FCM).queue();

    @Test
    void bringsBackDueRetriesUpToTheLimitAndAnswersTheOutboxLength() {
        await(redis.send(Request.cmd(Command.LPUSH).arg(outbox).arg("waiting")));
        await(redis.send(Request.cmd(Command.ZADD).arg(retry).arg(30).arg("r30").arg(10).arg("r10").arg(20).arg("r20")
                .arg(99).arg("r99")));
        PeekScript peek = new PeekScript(redis, 2, Channel.FCM);
        assertEquals(3L, await(peek.run(50, 2)));
        // the head of the outbox is its right end, where claims are taken: due retries go before what waited
        assertEquals(List.of("waiting", "r10", "r20"), range(outbox));
        assertEquals(List.of("r30", "r99"), zrange(retry));
        assertEquals(4L, await(peek.run(50, 10)));
        assertEquals(List.of("r99"), zrange(retry));
        assertEquals(4L, await(peek.run(50, 10)), "nothing more is due");
    }

    private List<String> range(String key) {
        return strings(await(redis.send(Request.cmd(Command.LRANGE).arg(key).arg(0).arg(-1))));
    }

    private List<String> zrange(String key) {
        return strings(await(redis.send(Request.cmd(Command.ZRANGE).arg(key).arg(0).arg(-1))));
    }

    private static List<String> strings(Response r) {
        List<String> out = new ArrayList<>();
        for (Response e : r) {
            out.add(e.toString());
        }
        return out;
    }
}
