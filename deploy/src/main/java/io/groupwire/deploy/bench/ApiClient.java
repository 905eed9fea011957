package io.groupwire.deploy.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/** The bench's HTTP client of the public API: exactly what a mobile client would call. */
final class ApiClient {
    private final WebClient http;
    private final String base;

    ApiClient(Vertx vertx, int port, int connections) {
        this.http = WebClient.create(vertx, new WebClientOptions().setMaxPoolSize(connections).setKeepAlive(true)
                .setTcpNoDelay(true).setPipelining(false));
        this.base = "http://127.0.0.1:" + port;
    }

    Future<JsonObject> createUser(String adminToken, String name) {
        return post("/v1/users", adminToken, new JsonObject().put("name", name), 201);
    }

    Future<JsonObject> addDevice(String token, String platform, String deviceToken) {
        return post("/v1/devices", token, new JsonObject().put("platform", platform).put("token", deviceToken), 201);
    }

    Future<JsonObject> createGroup(String token, String name, List<String> members) {
        return post("/v1/groups", token, new JsonObject().put("name", name).put("members", new JsonArray(members)), 201);
    }

    /** Posts a message; completes with the 202 body. */
    Future<JsonObject> send(String token, String groupId, String guid, String text) {
        return post("/v1/groups/" + groupId + "/messages", token,
                new JsonObject().put("source_guid", guid).put("text", text), 202);
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
    }
}
