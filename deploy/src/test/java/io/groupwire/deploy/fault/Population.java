package io.groupwire.deploy.fault;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The users, devices and groups a fault run talks to, created through the public API, and the
 * model of who must receive what: every member but the sender, once per device, or by SMS when a
 * member has no device but a phone. The directory does not change during a run, so the model is
 * exact.
 */
final class Population {
    /** Where one delivery goes. */
    record Address(String channel, String value) {
    }

    /** A user and the addresses a message to them must reach. */
    record Member(String id, String token, String name, List<Address> addresses) {
    }

    /** A group and its members, the creator included. */
    record Group(String id, List<Member> members) {
    }

    private final List<Member> users = new ArrayList<>();
    private final List<Group> groups = new ArrayList<>();

    List<Group> groups() {
        return groups;
    }

    List<Member> users() {
        return users;
    }

    /**
     * Creates {@code userCount} users (a mix of APNs, FCM, both, phone only and unreachable) and
     * groups of the given sizes.
     */
    static Population create(ApiCalls api, String gateway, String admin, int userCount, List<Integer> groupSizes,
                             Random random) throws IOException {
        Population p = new Population();
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < userCount; i++) {
            String name = "U" + i;
            int kind = random.nextInt(100);
            // 0-39 APNs, 40-59 FCM, 60-69 both, 70-94 phone only (SMS), 95-99 nothing to reach
            String phone = kind >= 70 && kind < 95 ? String.format("+1555%07d", i) : null;
            JsonObject body = new JsonObject().put("name", name);
            if (phone != null) {
                body.put("phone", phone);
            }
            JsonObject u = api.require(gateway, "/v1/users", admin, body, 201);
            List<Address> addresses = new ArrayList<>();
            String token = u.getString("token");
            if (kind < 40 || (kind >= 60 && kind < 70)) {
                byte[] t = new byte[32];
                random.nextBytes(t);
                addresses.add(device(api, gateway, token, "apns", hex.formatHex(t)));
            }
            if (kind >= 40 && kind < 70) {
                addresses.add(device(api, gateway, token, "fcm", "fcm-" + i + ":" + hex.formatHex(randomBytes(random, 60))));
            }
            if (addresses.isEmpty() && phone != null) {
                addresses.add(new Address("sms", phone));
            }
            p.users.add(new Member(u.getString("id"), token, name, List.copyOf(addresses)));
        }
        for (int size : groupSizes) {
            List<Member> members = new ArrayList<>();
            List<Member> shuffled = new ArrayList<>(p.users);
            java.util.Collections.shuffle(shuffled, random);
            members.addAll(shuffled.subList(0, Math.min(size, shuffled.size())));
            Member creator = members.get(0);
            JsonArray ids = new JsonArray();
            members.subList(1, members.size()).forEach(m -> ids.add(m.id()));
            JsonObject g = api.require(gateway, "/v1/groups", creator.token(),
                    new JsonObject().put("name", "G" + p.groups.size()).put("members", ids), 201);
            p.groups.add(new Group(g.getString("id"), List.copyOf(members)));
        }
        return p;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static Address device(ApiCalls api, String gateway, String userToken, String platform, String token)
            throws IOException {
        api.require(gateway, "/v1/devices", userToken, new JsonObject().put("platform", platform).put("token", token), 201);
        return new Address(platform, token);
    }

    /** Every address a message from {@code senderId} to {@code group} must reach. */
    static List<Address> expected(Group group, String senderId) {
        List<Address> out = new ArrayList<>();
        for (Member m : group.members()) {
            if (!m.id().equals(senderId)) {
                out.addAll(m.addresses());
            }
        }
        return out;
    }
}
