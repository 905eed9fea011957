package io.groupwire.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 16 at the API: a group's history pages newest first, before and after; likes are idempotent and for members only. */
class HistoryApiTest extends GatewayTestSupport {

    private static List<String> texts(HttpResponse<Buffer> r) {
        assertEquals(200, r.statusCode(), r.bodyAsString());
        List<String> out = new ArrayList<>();
        JsonArray messages = r.bodyAsJsonObject().getJsonArray("messages");
        for (int i = 0; i < messages.size(); i++) {
            out.add(messages.getJsonObject(i).getString("text"));
        }
        return out;
    }

    @Test
    void historyPagesNewestFirstBackAndForthForMembersOnly() {
        JsonObject alice = user("Alice", null);
        JsonObject bob = user("Bob", null);
        JsonObject eve = user("Eve", null);
        String a = alice.getString("token");
        String groupId = group(a, bob.getString("id")).getString("id");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            HttpResponse<Buffer> sent = send(a, groupId, "g" + i, "m" + i);
            assertEquals(202, sent.statusCode(), sent.bodyAsString());
            ids.add(sent.bodyAsJsonObject().getString("id"));
            sleepOneMilli();
        }
        String base = "/v1/groups/" + groupId + "/messages";
        assertEquals(List.of("m5", "m4", "m3", "m2", "m1"), texts(call(HttpMethod.GET, base, bob.getString("token"), null)));
        assertEquals(List.of("m5", "m4"), texts(call(HttpMethod.GET, base + "?limit=2", a, null)));
        assertEquals(List.of("m3", "m2"), texts(call(HttpMethod.GET, base + "?limit=2&before=" + ids.get(3), a, null)));
        assertEquals(List.of("m3", "m2"), texts(call(HttpMethod.GET, base + "?limit=2&after=" + ids.get(0), a, null)));
        assertEquals(List.of(), texts(call(HttpMethod.GET, base + "?after=" + ids.get(4), a, null)));
        assertEquals(List.of("m4", "m3"), texts(call(HttpMethod.GET, base + "?before=" + ids.get(4) + "&after=" + ids.get(1), a, null)));
        assertError(call(HttpMethod.GET, base + "?limit=101", a, null), 400, "invalid_request");
        assertError(call(HttpMethod.GET, base, eve.getString("token"), null), 404, "not_found");
        assertError(call(HttpMethod.GET, base + "?before=m_unknown", a, null), 404, "not_found");
        JsonObject first = call(HttpMethod.GET, base + "?limit=1", a, null).bodyAsJsonObject().getJsonArray("messages").getJsonObject(0);
        assertEquals(alice.getString("id"), first.getString("sender_id"));
        assertEquals(0, first.getInteger("likes"));
    }

    @Test
    void likesAreIdempotentForMembersAndOnlyForKeptMessages() {
        JsonObject alice = user("Alice", null);
        JsonObject bob = user("Bob", null);
        JsonObject eve = user("Eve", null);
        String a = alice.getString("token");
        String b = bob.getString("token");
        String groupId = group(a, bob.getString("id")).getString("id");
        String messageId = send(a, groupId, "g1", "hello").bodyAsJsonObject().getString("id");
        String like = "/v1/groups/" + groupId + "/messages/" + messageId + "/like";
        assertEquals(204, call(HttpMethod.PUT, like, b, null).statusCode());
        assertEquals(204, call(HttpMethod.PUT, like, b, null).statusCode());
        JsonArray likes = call(HttpMethod.GET, like + "s", a, null).bodyAsJsonObject().getJsonArray("likes");
        assertEquals(1, likes.size());
        assertEquals(bob.getString("id"), likes.getJsonObject(0).getString("user_id"));
        assertEquals(204, call(HttpMethod.DELETE, like, b, null).statusCode());
        assertEquals(204, call(HttpMethod.DELETE, like, b, null).statusCode());
        assertEquals(0, call(HttpMethod.GET, like + "s", a, null).bodyAsJsonObject().getJsonArray("likes").size());
        assertError(call(HttpMethod.PUT, like, eve.getString("token"), null), 404, "not_found");
        assertError(call(HttpMethod.GET, like + "s", eve.getString("token"), null), 404, "not_found");
        assertError(call(HttpMethod.PUT, "/v1/groups/" + groupId + "/messages/m_nope/like", b, null), 404, "not_found");
    }

    private static void sleepOneMilli() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
