package io.groupwire.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.groupwire.core.directory.Device;
import io.groupwire.core.directory.Group;
import io.groupwire.core.directory.User;
import io.groupwire.core.message.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.VertxModule;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON the API answers with, in one place so every endpoint shows a resource the same way.
 * Answers are written with {@code <}, {@code >} and {@code &} escaped as {@code \u003c} and so on, and with {@code X-Content-Type-Options: nosniff}: user-supplied names and texts come
 * back verbatim in value, but can never be read as markup by a browser that guesses content types.
 */
final class Responses {
    private static final ObjectMapper HTML_SAFE = new ObjectMapper(new JsonFactory().setCharacterEscapes(new HtmlSafeEscapes()))
            .registerModule(new VertxModule());

    private Responses() {
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        String encoded;
        try {
            encoded = HTML_SAFE.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ctx.response().setStatusCode(status)
                .putHeader("content-type", "application/json")
                .putHeader("x-content-type-options", "nosniff")
                .putHeader("cache-control", "no-store")
                .end(encoded);
    }

    static JsonObject error(String code, String message) {
        return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
    }

    static JsonObject createdUser(User u, String token) {
        return new JsonObject().put("id", u.id()).put("name", u.name()).put("phone", u.phone()).put("token", token)
                .put("created_at", Instant.ofEpochMilli(u.createdAtMillis()).toString());
    }

    static JsonObject group(Group g) {
        return new JsonObject().put("id", g.id()).put("name", g.name()).put("creator_id", g.creatorId())
                .put("created_at", Instant.ofEpochMilli(g.createdAtMillis()).toString())
                .put("owner_id", g.ownerId()).put("admins", new JsonArray(g.admins()))
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

    /** JSON's own escapes plus the characters that matter to HTML. */
    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private final int[] escapes;

        HtmlSafeEscapes() {
            escapes = standardAsciiEscapesForJSON();
            for (char c : new char[] {'<', '>', '&'}) {
                escapes[c] = ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
