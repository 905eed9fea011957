package io.groupwire.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches one HTTP/1.x connection around Netty's request decoder, where Vert.x offers no hook:
 *
 * <ul>
 *   <li>a request's head must be complete within the header bound of its first byte (of the
 *       connection's opening, for the first request), and its body within the body bound of the
 *       head: a client that trickles bytes (slowloris) or never finishes a chunked body gets 408
 *       and loses the connection, instead of holding it for the idle timeout;</li>
 *   <li>what the decoder refuses (a bad request line or header, a bad chunk size, oversize lines or
 *       headers) is answered here with 400, 414 or 431 and a JSON error, and never reaches Vert.x,
 *       which would log it with a stack trace;</li>
 *   <li>an HTTP version other than 1.0 and 1.1 gets 505, and an HTTP/1.1 request without exactly
 *       one Host header 400 (RFC 9112, section 3.2).</li>
 * </ul>
 *
 * Every refusal costs one {@link RateLimitedLog} line at most. The two handlers share this state and
 * run on the connection's event loop only.
 */
final class RequestReadGuard {
    private final long headerNanos;
    private final long bodyNanos;
    private final RateLimitedLog log;
    private final String peer;
    private ChannelHandlerContext out;
    private ScheduledFuture<?> timer;
    /** Bytes of a request head are expected or arriving; the head is not decoded yet. */
    private boolean inHead = true;
    /** The head is decoded; the body has not ended. */
    private boolean inBody;
    /** Requests handed to the application, and answers it has finished: the difference is outstanding. */
    private long handedOn;
    private long answered;
    /** The application is writing an answer: nothing else may be written on the connection now. */
    private boolean answering;
    private boolean refused;
    /** A refusal waiting for the answers to earlier requests. */
    private FullHttpResponse deferred;

    private RequestReadGuard(HttpLimits limits, RateLimitedLog log, String peer) {
        this.headerNanos = limits.headerTimeout().toNanos();
        this.bodyNanos = limits.bodyTimeout().toNanos();
        this.log = log;
        this.peer = peer;
    }

    /** Installs the guard on a connection whose HTTP/1.x pipeline is set up (decoder and encoder). */
    static RequestReadGuard install(ChannelPipeline pipeline, HttpLimits limits, RateLimitedLog log, String peer) {
        RequestReadGuard guard = new RequestReadGuard(limits, log, peer);
        pipeline.addBefore("httpDecoder", "groupwireBytes", guard.new Bytes());
        // after the encoder: inbound it sees decoded requests, outbound the application's responses; where
        // h2c upgrades are offered, after their handler, which installs the connection (and calls for this
        // guard) while handing on the connection's first request
        pipeline.addAfter(pipeline.get("h2c") != null ? "h2c" : "httpEncoder", "groupwireRequests", guard.new Requests());
        return guard;
    }

    /**
     * Sends a raw answer and closes the connection. An answer of the application's is never cut into
     * or overtaken: a refusal of a later pipelined request waits for the earlier answers; when the
     * refused request is the one the application holds and it has begun answering, the connection is
     * only closed.
     *
     * @param current whether the refused request is the one the application holds (its body was refused)
     */
    void refuse(int status, String code, String message, String why, boolean current) {
        if (refused) {
            return;
        }
        refused = true;
        cancel();
        log.info("refused " + (status == 429 ? "a connection" : "a request") + " from " + peer + " with " + status + ": " + why);
        long outstanding = handedOn - answered - (current ? 1 : 0);
        if (current && answering) {
            out.close();
        } else if (outstanding > 0) {
            deferred = RawAnswers.response(out.alloc(), status, code, message);
        } else {
            out.writeAndFlush(RawAnswers.response(out.alloc(), status, code, message)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void arm(long nanos, boolean head) {
        cancel();
        timer = out.executor().schedule(() -> {
            timer = null;
            if (head && inHead) {
                refuse(408, "request_timeout", "the request headers did not arrive in time", "headers not complete in time", false);
            } else if (!head && inBody) {
                refuse(408, "request_timeout", "the request body did not arrive in time", "body not complete in time", true);
            }
        }, nanos, TimeUnit.NANOSECONDS);
    }

    private void release() {
        if (deferred != null) {
            ReferenceCountUtil.release(deferred);
            deferred = null;
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Before the decoder: notices the first byte of each request head. */
    private final class Bytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (refused) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (!inHead && !inBody && msg instanceof ByteBuf b && b.isReadable()) {
                inHead = true;
                arm(headerNanos, true);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** After the decoder: checks each decoded part and follows the application's answer. */
    private final class Requests extends ChannelDuplexHandler {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            out = ctx;
            arm(headerNanos, true);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            cancel();
            release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            release();
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (refused) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                inHead = false;
                cancel();
                if (!admissible(request)) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
                handedOn++;
                inBody = true;
                arm(bodyNanos, false);
            }
            if (msg instanceof HttpContent content) {
                if (content.decoderResult().isFailure()) {
                    ReferenceCountUtil.release(msg);
                    refuse(400, "bad_request", "the request body is malformed", RawAnswers.describe(content.decoderResult().cause()), true);
                    return;
                }
                if (content instanceof LastHttpContent) {
                    inBody = false;
                    cancel();
                }
            }
            ctx.fireChannelRead(msg);
        }

        private boolean admissible(HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                if (cause instanceof TooLongHttpLineException) {
                    refuse(414, "uri_too_long", "the request line is longer than " + HttpLimits.MAX_INITIAL_LINE + " bytes",
                            "request line too long", false);
                } else if (cause instanceof TooLongHttpHeaderException) {
                    refuse(431, "headers_too_large", "the request headers are larger than " + HttpLimits.MAX_HEADER_SIZE + " bytes",
                            "headers too large", false);
                } else {
                    refuse(400, "bad_request", "the request is malformed", RawAnswers.describe(cause), false);
                }
                return false;
            }
            HttpVersion version = request.protocolVersion();
            if (!version.equals(HttpVersion.HTTP_1_1) && !version.equals(HttpVersion.HTTP_1_0)) {
                refuse(505, "http_version_not_supported", "only HTTP/1.1 and HTTP/1.0 are served",
                        "HTTP version " + version.majorVersion() + "." + version.minorVersion(), false);
                return false;
            }
            int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
            if (version.equals(HttpVersion.HTTP_1_1) ? hosts != 1 : hosts > 1) {
                refuse(400, "bad_request", "an HTTP/1.1 request must have exactly one Host header", hosts + " Host headers", false);
                return false;
            }
            return true;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse r && r.status().code() == 100) {
                // "100 Continue" is not the answer
                ctx.write(msg, promise);
                return;
            }
            if (msg instanceof HttpResponse) {
                answering = true;
            }
            if (msg instanceof LastHttpContent) {
                answering = false;
                answered++;
            }
            ctx.write(msg, promise);
            if (deferred != null && !answering && handedOn == answered) {
                FullHttpResponse refusal = deferred;
                deferred = null;
                ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
