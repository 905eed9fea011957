package io.groupwire.deploy.fault;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The fault suite's HTTP client of the gateway and the sandbox: JSON in, status and JSON out. */
final class ApiCalls {
    /** One answer: the status, or -1 with the failure when no answer came. */
    record Answer(int status, JsonObject body, Throwable failure) {
        boolean ok(int expected) {
            return status == expected;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    CompletableFuture<Answer> post(String base, String path, String token, JsonObject body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
        if (token != null) {
            r.header("authorization", "Bearer " + token);
        }
        return send(r);
    }

    /** GET without a token (health, metrics, the sandbox's receipts); a body that is not JSON comes as {@code raw}. */
    Answer get(String base, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET()).join();
    }

    private CompletableFuture<Answer> send(HttpRequest.Builder r) {
        return http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString()).handle((resp, err) -> {
            if (err != null) {
                return new Answer(-1, null, err);
            }
            JsonObject json;
            try {
                json = resp.body().isEmpty() ? new JsonObject() : new JsonObject(resp.body());
            } catch (RuntimeException e) {
                json = new JsonObject().put("raw", resp.body());
            }
            return new Answer(resp.statusCode(), json, null);
        });
    }

    /** A call that must succeed with {@code expected}, for setting the scene. */
    JsonObject require(String base, String path, String token, JsonObject body, int expected) throws IOException {
        Answer a = post(base, path, token, body).join();
        if (!a.ok(expected)) {
            throw new IOException("POST " + path + " answered " + a.status() + " " + a.body()
                    + (a.failure() == null ? "" : " " + a.failure()));
        }
        return a.body();
    }
}
