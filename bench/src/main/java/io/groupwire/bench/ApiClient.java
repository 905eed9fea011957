package io.groupwire.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;

/** The bench's HTTP client of the public API: exactly what a mobile client would call. */
final class ApiClient {
    private final WebClient http;
    /**
     * The load itself goes through the core HTTP client: the web client's request pipeline and JSON
     * binding cost the shared JVM about a tenth of its time in the path stage, load that a real
     * deployment's clients would spend on their own machines.
     */
    private final HttpClient raw;
    private final String base;
    private final int port;

    /**
     * Seconds an idle pooled connection is kept: under the gateway's idle timeout (60 s). With the
     * client's default (also 60 s) a connection idle through a pause between steps could be picked
     * just as the gateway closed it, failing a send with "connection was closed".
     */
    private static final int KEEP_ALIVE_SECONDS = 20;

    ApiClient(Vertx vertx, int port, int connections) {
        this.http = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS).setTcpNoDelay(true).setPipelining(false),
                new PoolOptions().setHttp1MaxSize(connections));
        this.raw = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setTcpNoDelay(true).setPipelining(false), new PoolOptions().setHttp1MaxSize(connections));
        this.base = "http://127.0.0.1:" + port;
        this.port = port;
    }

    /** Creates a user, with a phone number for SMS unless {@code phone} is null. */
    Future<JsonObject> createUser(String adminToken, String name, String phone) {
        JsonObject body = new JsonObject().put("name", name);
        if (phone != null) {
            body.put("phone", phone);
        }
        return post("/v1/users", adminToken, body, 201);
    }

    Future<JsonObject> addDevice(String token, String platform, String deviceToken) {
        return post("/v1/devices", token, new JsonObject().put("platform", platform).put("token", deviceToken), 201);
    }

    Future<JsonObject> createGroup(String token, String name, List<String> members) {
        return post("/v1/groups", token, new JsonObject().put("name", name).put("members", new JsonArray(members)), 201);
    }

    /** Posts a message; completes with the 202 body. */
    Future<JsonObject> send(String token, String groupId, String guid, String text) {
        String body = plain(guid) && plain(text)
                ? "{\"source_guid\":\"" + guid + "\",\"text\":\"" + text + "\"}"
                : new JsonObject().put("source_guid", guid).put("text", text).encode();
        String path = "/v1/groups/" + groupId + "/messages";
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI(path).putHeader("authorization", "Bearer " + token).putHeader("content-type", "application/json");
        return raw.request(options)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().compose(b -> resp.statusCode() == 202
                        ? Future.succeededFuture(b.toJsonObject())
                        : Future.failedFuture("POST " + path + " answered " + resp.statusCode() + ": " + b)));
    }

    /** Nothing in it that JSON would escape, so it can be written between quotes as it is. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private Future<JsonObject> post(String path, String token, JsonObject body, int expected) {
        return http.postAbs(base + path).putHeader("authorization", "Bearer " + token)
                .sendJsonObject(body).compose(r -> check(r, expected, path));
    }

    private static Future<JsonObject> check(HttpResponse<Buffer> r, int expected, String path) {
        if (r.statusCode() != expected) {
            return Future.failedFuture("POST " + path + " answered " + r.statusCode() + ": " + r.bodyAsString());
        }
        return Future.succeededFuture(r.bodyAsJsonObject());
    }

    void close() {
        http.close();
        raw.close();
    }
}
