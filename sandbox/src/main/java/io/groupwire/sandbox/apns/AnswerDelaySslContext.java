package io.groupwire.sandbox.apns;

import io.groupwire.sandbox.SandboxFaults;
import io.netty.channel.Channel;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;

/**
 * The APNs sandbox's TLS context, which fits every connection with an {@link AnswerDelay} once its
 * handshake is done. Pushy's mock server offers no way into a connection's pipeline, but it builds
 * each connection's TLS handler from the context its builder hands it, and a handler's handshake
 * future names the connection.
 */
final class AnswerDelaySslContext extends DelegatingSslContext {
    private final SandboxFaults faults;

    AnswerDelaySslContext(SslContext context, SandboxFaults faults) {
        super(context);
        this.faults = faults;
    }

    @Override
    protected void initEngine(SSLEngine engine) {
        // the engine stays as the wrapped context made it
    }

    @Override
    protected void initHandler(SslHandler handler) {
        handler.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                Channel connection = (Channel) f.getNow();
                // at the head, below TLS: the answers' encrypted records are held back in order
                connection.pipeline().addFirst("sandbox-answer-delay", new AnswerDelay(faults));
            }
        });
    }
}
