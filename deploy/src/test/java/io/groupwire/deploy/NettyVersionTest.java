package io.groupwire.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.Version;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The build pins one Netty for Vert.x, Lettuce and Pushy; this checks that every Netty artifact on
 * the runtime class path of the whole platform reports that one version, and that each library's
 * Netty-facing entry point loads against it.
 */
class NettyVersionTest {
    @Test
    void everyNettyArtifactIsThePinnedVersion() throws Exception {
        Map<String, Version> versions = Version.identify();
        assertTrue(versions.size() > 5, "Netty artifacts found: " + versions.keySet());
        Set<String> distinct = new TreeSet<>();
        versions.values().forEach(v -> distinct.add(v.artifactVersion()));
        assertEquals(Set.of(System.getProperty("groupwire.netty.version")), distinct,
                "Netty versions on the class path: " + versions);
        // each library starts its Netty machinery on this Netty
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        vertx.close().toCompletionStage().toCompletableFuture().get();
        io.lettuce.core.resource.DefaultClientResources.create().shutdown().get();
        new com.eatthepath.pushy.apns.ApnsClientBuilder().setApnsServer("127.0.0.1", 1);
    }
}
