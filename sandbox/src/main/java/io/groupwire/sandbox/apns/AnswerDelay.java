package io.groupwire.sandbox.apns;

import io.groupwire.sandbox.SandboxFaults;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The APNs sandbox's {@code latency_millis} fault, acted out on a timer: every byte the server
 * writes on a connection once its TLS handshake is done (set-up is not an answer) leaves that much later, in the order it was
 * written, as on a slow link. Nothing blocks: requests keep being read and judged meanwhile, so N
 * requests sent together are all answered about one latency later, not one after another.
 *
 * <p>It sits at the head of the connection's pipeline (see {@link AnswerDelaySslContext}), below
 * TLS, because Pushy's mock server writes each answer from inside its own handler right after
 * asking the synchronous {@code PushNotificationHandler}: the answer cannot be deferred there. Delaying
 * the encrypted records in order keeps the TLS and HTTP/2 streams intact. A connection closed with
 * answers still held (a DROP fault) loses them, like a link that went down.
 */
final class AnswerDelay extends ChannelOutboundHandlerAdapter {
    private record Held(Object message, ChannelPromise promise, long dueNanos) {
    }

    private final SandboxFaults faults;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private long lastDueNanos;

    AnswerDelay(SandboxFaults faults) {
        this.faults = faults;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long latencyNanos = TimeUnit.MILLISECONDS.toNanos(faults.get("apns").latencyMillis());
        if (held.isEmpty() && latencyNanos <= 0) {
            ctx.write(msg, promise);
            return;
        }
        // never before what was written earlier, even when the latency was just lowered
        long due = Math.max(System.nanoTime() + latencyNanos, lastDueNanos);
        lastDueNanos = due;
        held.addLast(new Held(msg, promise, due));
        if (held.size() == 1) {
            schedule(ctx, due);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        // what is held is flushed when it leaves
        if (held.isEmpty()) {
            ctx.flush();
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        discard();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard();
    }

    private void schedule(ChannelHandlerContext ctx, long dueNanos) {
        ctx.executor().schedule(() -> release(ctx), Math.max(0, dueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void release(ChannelHandlerContext ctx) {
        if (held.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        while (!held.isEmpty() && held.peekFirst().dueNanos() <= now) {
            Held h = held.pollFirst();
            ctx.write(h.message(), h.promise());
        }
        ctx.flush();
        if (!held.isEmpty()) {
            schedule(ctx, held.peekFirst().dueNanos());
        }
    }

    private void discard() {
        Held h;
        while ((h = held.pollFirst()) != null) {
            ReferenceCountUtil.release(h.message());
            h.promise().tryFailure(new java.nio.channels.ClosedChannelException());
        }
    }
}
