package io.groupwire.gateway;

import io.groupwire.core.directory.Device;
import io.groupwire.core.directory.Group;
import io.groupwire.core.message.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/** The JSON the API answers with, in one place so every endpoint shows a resource the same way. */
final class Responses {
    private Responses() {
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    static JsonObject group(Group g) {
        return new JsonObject().put("id", g.id()).put("name", g.name()).put("creator_id", g.creatorId())
                .put("created_at", Instant.ofEpochMilli(g.createdAtMillis()).toString())
                .put("members", new JsonArray(g.members()));
    }

    static JsonObject device(Device d) {
        return new JsonObject().put("id", d.id()).put("platform", d.platform().id()).put("token", d.token())
                .put("created_at", Instant.ofEpochMilli(d.createdAtMillis()).toString());
    }

    static JsonObject accepted(Message m) {
        return new JsonObject().put("id", m.id()).put("group_id", m.groupId()).put("sender_id", m.senderId())
                .put("accepted_at", Instant.ofEpochMilli(m.acceptedAtMillis()).toString());
    }
}
