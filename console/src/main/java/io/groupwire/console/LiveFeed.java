package io.groupwire.console;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The open pages, each a Server-Sent Events stream: every snapshot the sampler takes is written to
 * all of them, so that ten open browsers cost Redis what one does.
 */
final class LiveFeed {
    private final Set<HttpServerResponse> streams = new CopyOnWriteArraySet<>();

    /** Opens a stream on {@code response} and sends it {@code first} (the history) at once. */
    void open(HttpServerResponse response, JsonObject first) {
        response.setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-store")
                .putHeader("x-accel-buffering", "no");
        response.closeHandler(v -> streams.remove(response));
        response.exceptionHandler(e -> streams.remove(response));
        streams.add(response);
        send(response, "history", first);
    }

    void broadcast(String event, JsonObject data) {
        for (HttpServerResponse r : streams) {
            send(r, event, data);
        }
    }

    int open() {
        return streams.size();
    }

    void closeAll() {
        for (HttpServerResponse r : streams) {
            r.end();
        }
        streams.clear();
    }

    private void send(HttpServerResponse r, String event, JsonObject data) {
        if (r.closed() || r.ended()) {
            streams.remove(r);
            return;
        }
        // a page that cannot keep up is dropped rather than buffered without bound
        if (r.writeQueueFull()) {
            streams.remove(r);
            r.end();
            return;
        }
        r.write("event: " + event + "\ndata: " + data.encode() + "\n\n");
    }
}
