package io.groupwire.deploy;

import static io.groupwire.core.testing.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.Env;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.testing.RedisTestBase;
import io.groupwire.core.testing.TestRedis;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterCommandTest extends RedisTestBase {
    final Env env = new Env(Map.of("GROUPWIRE_REDIS_URL", TestRedis.url()));

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DeadLetterCommand.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void countsListsAndReplaysMailboxDeadLetters() {
        await(redis.send(Request.cmd(Command.LPUSH).arg(Keys.deadLetters(3, null)).arg("{poison")));
        String[] count = run("count", "--queue", "mailbox");
        assertEquals("0", count[0], count[2]);
        assertTrue(count[1].contains("mailbox  1"), count[1]);
        assertTrue(run("list")[1].contains("mailbox shard 3 #0 {poison"));
        assertTrue(run("replay", "--queue", "mailbox")[1].contains("1 replayed"));
        assertEquals("{poison", await(redis.send(Request.cmd(Command.RPOP).arg(Keys.mailbox(3).queue()))).toString());
    }

    @Test
    void badArgumentsAreRefusedWithUsage() {
        assertEquals("2", run()[0]);
        assertEquals("2", run("purge")[0]);
        assertEquals("2", run("list", "--queue", "nope")[0]);
        assertEquals("2", run("replay", "--max", "-5")[0]);
        assertEquals("2", run("list", "--bogus")[0]);
    }
}
