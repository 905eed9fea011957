package io.groupwire.push.fcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.push.SandboxSettings;
import io.groupwire.push.TestDeliveries;
import io.groupwire.sandbox.ReceivedDelivery;
import io.groupwire.sandbox.SandboxFaults.FaultSpec;
import io.groupwire.sandbox.credentials.CredentialFiles;
import io.groupwire.sandbox.credentials.Pem;
import io.groupwire.sandbox.credentials.SandboxCertificate;
import io.groupwire.sandbox.fcm.FcmSandbox;
import io.groupwire.sandbox.fcm.FcmTestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FCM client against the FCM sandbox on a local Vert.x server. */
class FcmProviderClientTest {
    @TempDir
    static Path credentials;
    static Vertx vertx;
    static FcmTestServer server;
    static FcmSandbox sandbox;
    static FcmProviderClient client;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = new FcmTestServer(vertx);
        sandbox = server.mountSandbox(credentials, FcmSandbox.DEFAULT_TOKEN_LIFETIME);
        client = new FcmProviderClient(vertx, SandboxSettings.fcm(sandbox).withLimits(Duration.ofSeconds(3), 500));
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @BeforeEach
    void reset() {
        server.faults.clear();
        server.log.clear();
        server.seen.clear();
        sandbox.unregisteredTokens().clear();
    }

    static String fcmToken() {
        return "fcm_" + (java.util.UUID.randomUUID() + ":" + java.util.UUID.randomUUID()).replace("-", "_");
    }

    static Outcome send(FcmProviderClient c, Delivery d) throws Exception {
        return c.send(d).get(10, TimeUnit.SECONDS);
    }

    @Test
    void deliversOneRequestPerMessageOverHttp2AndTheSandboxRecordsIt() throws Exception {
        Delivery d = TestDeliveries.to(Channel.FCM, fcmToken());

        Outcome outcome = send(client, d);

        Outcome.Delivered delivered = assertInstanceOf(Outcome.Delivered.class, outcome);
        assertTrue(delivered.providerId().startsWith("projects/groupwire-sandbox/messages/"), delivered.providerId());
        List<ReceivedDelivery> received = server.log.channel("fcm");
        assertEquals(1, received.size());
        assertEquals(d.address(), received.get(0).address());
        assertEquals(d.messageId(), received.get(0).messageId());
        JsonNode message = Json.mapper().readTree(received.get(0).payload()).path("message");
        assertEquals("Climbers", message.path("notification").path("title").asText());
        assertEquals("Ann: hello there", message.path("notification").path("body").asText());
        assertEquals("g-climbers", message.path("data").path("gw_group_id").asText());
        assertEquals(d.messageId(), message.path("android").path("collapse_key").asText());
        assertEquals(d.messageId(), message.path("android").path("notification").path("tag").asText());
        assertEquals(d.messageId(), message.path("apns").path("headers").path("apns-collapse-id").asText());
        assertTrue(message.path("android").path("ttl").asText().matches("7[12]\\d\\ds"));
        assertEquals(List.of(new FcmTestServer.Seen("/v1/projects/groupwire-sandbox/messages:send", HttpVersion.HTTP_2, false)),
                server.seen.stream().filter(s -> s.path().endsWith(":send")).toList());
    }

    @Test
    void sendsTravelOverHttp2() throws Exception {
        for (int i = 0; i < 5; i++) {
            send(client, TestDeliveries.to(Channel.FCM, fcmToken()));
        }
        List<FcmTestServer.Seen> sends = server.seen.stream().filter(s -> s.path().endsWith("messages:send")).toList();
        assertEquals(5, sends.size());
        assertTrue(sends.stream().allMatch(s -> s.version() == HttpVersion.HTTP_2), sends.toString());
    }

    @Test
    void httpsNegotiatesHttp2ByAlpn(@TempDir Path dir) throws Exception {
        SandboxCertificate certificate = SandboxCertificate.loadOrGenerate(dir.resolve("fcm.crt"), dir.resolve("fcm.key"),
                "FCM stand-in");
        try (FcmTestServer https = new FcmTestServer(vertx, certificate)) {
            FcmSandbox secure = https.mountSandbox(dir, FcmSandbox.DEFAULT_TOKEN_LIFETIME);
            FcmSettings settings = SandboxSettings.fcm(secure).withTrustedCertificate(dir.resolve("fcm.crt"));
            try (FcmProviderClient c = new FcmProviderClient(vertx, settings)) {
                assertInstanceOf(Outcome.Delivered.class, send(c, TestDeliveries.to(Channel.FCM, fcmToken())));
            }
            try (FcmProviderClient untrusting = new FcmProviderClient(vertx, SandboxSettings.fcm(secure))) {
                Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                        send(untrusting, TestDeliveries.to(Channel.FCM, fcmToken())));
                assertFalse(retry.maybeSent());
            }
            assertEquals(List.of(new FcmTestServer.Seen("/v1/projects/groupwire-sandbox/messages:send", HttpVersion.HTTP_2,
                    true)), https.seen.stream().filter(s -> s.path().endsWith(":send")).toList());
            assertEquals(1, https.log.channel("fcm").size());
        }
    }

    @Test
    void oneTokenServesManyConcurrentSends() throws Exception {
        int issuedBefore = sandbox.tokensIssued();
        try (FcmProviderClient fresh = new FcmProviderClient(vertx, SandboxSettings.fcm(sandbox))) {
            List<CompletableFuture<Outcome>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(fresh.send(TestDeliveries.to(Channel.FCM, fcmToken())));
            }
            for (CompletableFuture<Outcome> a : answers) {
                assertInstanceOf(Outcome.Delivered.class, a.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, fresh.tokenFetches());
            assertEquals(issuedBefore + 1, sandbox.tokensIssued());
            assertEquals(0, fresh.inFlight());
        }
        Set<String> ids = new HashSet<>();
        server.log.channel("fcm").forEach(r -> ids.add(r.messageId()));
        assertEquals(200, server.log.channel("fcm").size());
        assertEquals(200, ids.size());
    }

    @Test
    void theTokenIsRefreshedAfterItExpires(@TempDir Path dir) throws Exception {
        try (FcmTestServer shortLived = new FcmTestServer(vertx)) {
            FcmSandbox quick = shortLived.mountSandbox(dir, Duration.ofSeconds(1));
            try (FcmProviderClient c = new FcmProviderClient(vertx, SandboxSettings.fcm(quick))) {
                assertInstanceOf(Outcome.Delivered.class, send(c, TestDeliveries.to(Channel.FCM, fcmToken())));
                assertInstanceOf(Outcome.Delivered.class, send(c, TestDeliveries.to(Channel.FCM, fcmToken())));
                assertEquals(1, c.tokenFetches());
                Thread.sleep(1200);
                assertInstanceOf(Outcome.Delivered.class, send(c, TestDeliveries.to(Channel.FCM, fcmToken())));
                assertEquals(2, c.tokenFetches());
                assertEquals(2, quick.tokensIssued());
            }
        }
    }

    @Test
    void aRevokedTokenIsReplacedOnceAndTheSendGoesThrough() throws Exception {
        send(client, TestDeliveries.to(Channel.FCM, fcmToken()));
        int fetches = client.tokenFetches();
        sandbox.revokeTokens();

        Outcome outcome = send(client, TestDeliveries.to(Channel.FCM, fcmToken()));

        assertInstanceOf(Outcome.Delivered.class, outcome);
        assertEquals(fetches + 1, client.tokenFetches());
        assertEquals(2, server.log.channel("fcm").size());
    }

    @Test
    void anUnregisteredTokenIsADeadDestination() throws Exception {
        String token = fcmToken();
        sandbox.unregisteredTokens().add(token);
        long before = System.currentTimeMillis();

        Outcome.DeadDestination dead = assertInstanceOf(Outcome.DeadDestination.class,
                send(client, TestDeliveries.to(Channel.FCM, token)));

        assertEquals("UNREGISTERED", dead.reason());
        assertTrue(dead.invalidatedAtMillis() >= before);
        assertTrue(server.log.channel("fcm").isEmpty());
    }

    @Test
    void anInvalidTokenIsADeadDestination() throws Exception {
        Outcome.DeadDestination dead = assertInstanceOf(Outcome.DeadDestination.class,
                send(client, TestDeliveries.to(Channel.FCM, "not a token!")));
        assertEquals("INVALID_ARGUMENT", dead.reason());
    }

    @Test
    void throttlingHoldsTheProviderForRetryAfter() throws Exception {
        server.faults.set("fcm", new FaultSpec(0, 1, 7, 0, 0));

        Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                send(client, TestDeliveries.to(Channel.FCM, fcmToken())));

        assertEquals("QUOTA_EXCEEDED", retry.reason());
        assertEquals(Outcome.Scope.PROVIDER, retry.scope());
        assertEquals(Duration.ofSeconds(7), retry.delay());
        assertFalse(retry.maybeSent());
    }

    @Test
    void unavailabilityHoldsTheProvider() throws Exception {
        server.faults.set("fcm", new FaultSpec(1, 0, 1, 0, 0));

        Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                send(client, TestDeliveries.to(Channel.FCM, fcmToken())));

        assertEquals("UNAVAILABLE", retry.reason());
        assertEquals(Outcome.Scope.PROVIDER, retry.scope());
        assertTrue(server.log.channel("fcm").isEmpty());
    }

    @Test
    void aDroppedRequestIsMaybeSentAndTheNextOneGoesThrough() throws Exception {
        server.faults.set("fcm", new FaultSpec(0, 0, 1, 1, 0));
        Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                send(client, TestDeliveries.to(Channel.FCM, fcmToken())));
        assertTrue(retry.maybeSent());

        server.faults.clear();
        assertInstanceOf(Outcome.Delivered.class, send(client, TestDeliveries.to(Channel.FCM, fcmToken())));
    }

    @Test
    void anAnswerLaterThanTheTimeoutIsMaybeSent() throws Exception {
        send(client, TestDeliveries.to(Channel.FCM, fcmToken()));
        server.faults.set("fcm", new FaultSpec(0, 0, 1, 0, 1500));
        try (FcmProviderClient impatient = new FcmProviderClient(vertx,
                SandboxSettings.fcm(sandbox).withLimits(Duration.ofMillis(700), 10))) {
            Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                    send(impatient, TestDeliveries.to(Channel.FCM, fcmToken())));
            assertEquals("fcm_timeout", retry.reason());
            assertTrue(retry.maybeSent());
            assertEquals(0, impatient.inFlight());
        }
    }

    @Test
    void sendsOverTheInFlightBoundAreRefusedAtOnce() throws Exception {
        server.faults.set("fcm", new FaultSpec(0, 0, 1, 0, 300));
        try (FcmProviderClient narrow = new FcmProviderClient(vertx,
                SandboxSettings.fcm(sandbox).withLimits(Duration.ofSeconds(5), 1))) {
            CompletableFuture<Outcome> first = narrow.send(TestDeliveries.to(Channel.FCM, fcmToken()));
            Outcome second = narrow.send(TestDeliveries.to(Channel.FCM, fcmToken())).get(1, TimeUnit.SECONDS);
            assertEquals("fcm_in_flight_limit", assertInstanceOf(Outcome.RetryLater.class, second).reason());
            assertInstanceOf(Outcome.Delivered.class, first.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aServiceAccountWithTheWrongKeyIsRefusedAndHoldsTheProvider(@TempDir Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String forged = CredentialFiles.read(sandbox.serviceAccountFile()).replaceAll(
                "-----BEGIN PRIVATE KEY-----[^\"]*-----END PRIVATE KEY-----\\\\n",
                Pem.pkcs8(g.generateKeyPair().getPrivate()).replace("\n", "\\\\n"));
        try (FcmProviderClient forger = new FcmProviderClient(vertx, SandboxSettings.fcm(sandbox).withServiceAccount(forged))) {
            Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                    send(forger, TestDeliveries.to(Channel.FCM, fcmToken())));
            assertEquals("fcm_credentials_rejected", retry.reason());
            assertEquals(Outcome.Scope.PROVIDER, retry.scope());
            assertTrue(retry.delay().toSeconds() >= 30);
            // a second send does not hammer the token endpoint
            send(forger, TestDeliveries.to(Channel.FCM, fcmToken()));
            assertEquals(1, forger.tokenFetches());
        }
        assertTrue(server.log.channel("fcm").isEmpty());
    }

    @Test
    void anUnreachableEndpointIsNotSent() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (FcmProviderClient lost = new FcmProviderClient(vertx,
                SandboxSettings.fcm(sandbox).withEndpoint("http://127.0.0.1:" + closedPort))) {
            Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                    send(lost, TestDeliveries.to(Channel.FCM, fcmToken())));
            assertEquals("fcm_unreachable", retry.reason());
            assertFalse(retry.maybeSent());
        }
    }

    @Test
    void aLongTextIsShortenedToFitFcmsLimit() throws Exception {
        Delivery d = TestDeliveries.to(Channel.FCM, fcmToken(), "\uD83D\uDE00".repeat(5000));
        assertInstanceOf(Outcome.Delivered.class, send(client, d));
        String body = Json.mapper().readTree(server.log.channel("fcm").get(0).payload())
                .path("message").path("notification").path("body").asText();
        assertTrue(body.endsWith("\u2026"));
        assertTrue(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 2048 + 3);
    }
}
