package io.groupwire.transport;

import io.groupwire.core.directory.Device;
import io.groupwire.core.directory.DeviceTokens;
import io.groupwire.core.json.Json;
import io.groupwire.core.redis.Keys;
import io.groupwire.core.redis.Pipeline;
import io.groupwire.core.redis.Shards;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads group routes from the directory and caches them until the directory version changes: one
 * GET per batch keeps the cache exact while sparing Redis the member and device reads of every
 * message of a busy group.
 */
final class RouteResolver {
    private final Pipeline pipeline;
    private final Shards shards;
    private final Map<String, Future<GroupRoute>> cache = new HashMap<>();
    private String version = "";

    RouteResolver(Pipeline pipeline, Shards shards) {
        this.pipeline = pipeline;
        this.shards = shards;
    }

    /** Drops the cache if the directory changed since it was filled. Call once per batch. */
    Future<Void> refresh() {
        return pipeline.redis().send(Request.cmd(Command.GET).arg(Keys.DIRECTORY_VERSION)).map(r -> {
            String now = r == null ? "0" : r.toString();
            if (!now.equals(version)) {
                cache.clear();
                version = now;
            }
            return null;
        });
    }

    Future<GroupRoute> route(String groupId) {
        Future<GroupRoute> cached = cache.get(groupId);
        if (cached != null && !cached.failed()) {
            return cached;
        }
        Future<GroupRoute> loading = load(groupId);
        cache.put(groupId, loading);
        return loading;
    }

    private Future<GroupRoute> load(String groupId) {
        int shard = shards.of(groupId);
        return pipeline.run(List.of(
                        Request.cmd(Command.HGET).arg(Keys.group(shard, groupId)).arg("name"),
                        Request.cmd(Command.SMEMBERS).arg(Keys.groupMembers(shard, groupId))))
                .compose(head -> {
                    String name = head.get(0) == null ? null : head.get(0).toString();
                    List<String> members = new ArrayList<>();
                    for (Response m : head.get(1)) {
                        members.add(m.toString());
                    }
                    List<Request> reads = new ArrayList<>(members.size() * 2);
                    for (String uid : members) {
                        reads.add(Request.cmd(Command.HMGET).arg(Keys.user(uid)).arg("name").arg("phone"));
                        reads.add(Request.cmd(Command.HVALS).arg(Keys.userDevices(uid)));
                    }
                    return pipeline.run(reads).compose(rs -> {
                        List<Device> all = new ArrayList<>();
                        int[] firstDevice = new int[members.size() + 1];
                        for (int i = 0; i < members.size(); i++) {
                            firstDevice[i] = all.size();
                            for (Response d : rs.get(2 * i + 1)) {
                                all.add(Json.read(d.toString(), Device.class));
                            }
                        }
                        firstDevice[members.size()] = all.size();
                        return live(all).map(live -> {
                            List<GroupRoute.Member> out = new ArrayList<>(members.size());
                            for (int i = 0; i < members.size(); i++) {
                                Response user = rs.get(2 * i);
                                List<Device> ds = new ArrayList<>();
                                for (int d = firstDevice[i]; d < firstDevice[i + 1]; d++) {
                                    if (live[d]) {
                                        ds.add(all.get(d));
                                    }
                                }
                                out.add(new GroupRoute.Member(members.get(i), text(user.get(0)), text(user.get(1)), ds));
                            }
                            return new GroupRoute(groupId, name, out);
                        });
                    });
                });
    }

    /**
     * Which registrations receive messages: a token belongs to one user at a time, and a
     * registration whose token another user took since (or its owner gave up) is dead even while its
     * entry is still in the user's hash.
     */
    private Future<boolean[]> live(List<Device> devices) {
        List<Request> owners = devices.stream().map(DeviceTokens::ownerRead).toList();
        return pipeline.run(owners).map(rs -> {
            boolean[] live = new boolean[devices.size()];
            for (int i = 0; i < live.length; i++) {
                live[i] = DeviceTokens.live(devices.get(i), rs.get(i));
            }
            return live;
        });
    }

    private static String text(Response r) {
        return r == null ? null : r.toString();
    }
}
