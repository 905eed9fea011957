package io.groupwire.push.apns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.ApnsPushNotification;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.fasterxml.jackson.databind.JsonNode;
import io.groupwire.core.config.Env;
import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.json.Json;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.push.SandboxSettings;
import io.groupwire.push.TestDeliveries;
import io.groupwire.sandbox.ReceivedDelivery;
import io.groupwire.sandbox.ReceivedLog;
import io.groupwire.sandbox.SandboxFaults;
import io.groupwire.sandbox.SandboxFaults.FaultSpec;
import io.groupwire.sandbox.apns.ApnsSandbox;
import io.groupwire.sandbox.credentials.CredentialFiles;
import io.groupwire.sandbox.credentials.Pem;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The APNs client against the APNs sandbox (Pushy's MockApnsServer over TLS, token auth checked). */
class ApnsProviderClientTest {
    @TempDir
    static Path credentials;
    static final ReceivedLog LOG = new ReceivedLog();
    static final SandboxFaults FAULTS = new SandboxFaults();
    static ApnsSandbox sandbox;
    static ApnsProviderClient client;

    @BeforeAll
    static void start() {
        sandbox = ApnsSandbox.start(0, LOG, FAULTS, credentials);
        client = new ApnsProviderClient(SandboxSettings.apns(sandbox).withLimits(Duration.ofSeconds(3), 500));
    }

    @AfterAll
    static void stop() {
        client.close();
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        FAULTS.clear();
        LOG.clear();
        sandbox.unregisteredTokens().clear();
    }

    static Outcome send(ApnsProviderClient c, Delivery d) throws Exception {
        return c.send(d).get(10, TimeUnit.SECONDS);
    }

    @Test
    void deliversOnceAndTheSandboxRecordsTheMessageIdAndCollapseId() throws Exception {
        Delivery d = TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken());

        Outcome outcome = send(client, d);

        Outcome.Delivered delivered = assertInstanceOf(Outcome.Delivered.class, outcome);
        assertEquals(ApnsNotifications.apnsId(d).toString(), delivered.providerId());
        List<ReceivedDelivery> received = LOG.channel("apns");
        assertEquals(1, received.size());
        assertEquals(d.address(), received.get(0).address());
        assertEquals(d.messageId(), received.get(0).messageId());

        ApnsPushNotification seen = last(sandbox.accepted());
        assertEquals(d.messageId(), seen.getCollapseId());
        assertEquals(PushType.ALERT, seen.getPushType());
        assertEquals(DeliveryPriority.IMMEDIATE, seen.getPriority());
        assertEquals(SandboxSettings.apns(sandbox).topic(), seen.getTopic());
        assertEquals(Instant.ofEpochMilli(d.acceptedAtMillis()).plus(Duration.ofHours(2)).getEpochSecond(),
                seen.getExpiration().getEpochSecond());
        JsonNode payload = Json.mapper().readTree(seen.getPayload());
        assertEquals("Climbers", payload.path("aps").path("alert").path("title").asText());
        assertEquals("Ann: hello there", payload.path("aps").path("alert").path("body").asText());
        assertEquals(d.messageId(), payload.path("gw_message_id").asText());
        assertEquals("g-climbers", payload.path("gw_group_id").asText());
    }

    @Test
    void aResendCarriesTheSameCollapseIdAndApnsId() throws Exception {
        Delivery d = TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken());

        send(client, d);
        send(client, d.withAttempt(1));

        List<ApnsPushNotification> seen = sandbox.accepted().stream()
                .filter(n -> n.getToken().equals(d.address())).toList();
        assertEquals(2, seen.size());
        assertEquals(seen.get(0).getCollapseId(), seen.get(1).getCollapseId());
        assertEquals(seen.get(0).getApnsId(), seen.get(1).getApnsId());
    }

    @Test
    void manyConcurrentSendsEachArriveExactlyOnce() throws Exception {
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            deliveries.add(TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken()));
        }
        List<CompletableFuture<Outcome>> answers = deliveries.stream().map(client::send).toList();
        for (CompletableFuture<Outcome> a : answers) {
            assertInstanceOf(Outcome.Delivered.class, a.get(10, TimeUnit.SECONDS));
        }
        List<ReceivedDelivery> received = LOG.channel("apns");
        assertEquals(300, received.size());
        Set<String> ids = new HashSet<>();
        received.forEach(r -> ids.add(r.messageId()));
        assertEquals(300, ids.size());
        assertEquals(0, client.inFlight());
    }

    @Test
    void anUnregisteredTokenIsADeadDestinationSinceApnsTimestamp() throws Exception {
        String token = TestDeliveries.apnsToken();
        Instant since = Instant.parse("2026-01-02T03:04:05.678Z");
        sandbox.unregisteredTokens().add(token, since);

        Outcome outcome = send(client, TestDeliveries.to(Channel.APNS, token));

        Outcome.DeadDestination dead = assertInstanceOf(Outcome.DeadDestination.class, outcome);
        assertEquals("Unregistered", dead.reason());
        assertEquals(since.toEpochMilli(), dead.invalidatedAtMillis());
        assertTrue(LOG.channel("apns").isEmpty());
    }

    @Test
    void aMalformedTokenIsADeadDestination() throws Exception {
        Outcome shortHex = send(client, TestDeliveries.to(Channel.APNS, "abcd1234"));
        assertEquals("BadDeviceToken", assertInstanceOf(Outcome.DeadDestination.class, shortHex).reason());
        assertEquals(1, sandbox.rejections().get("BAD_DEVICE_TOKEN"));

        Outcome pathy = send(client, TestDeliveries.to(Channel.APNS, "../../3/device/" + TestDeliveries.apnsToken()));
        assertEquals("BadDeviceToken", assertInstanceOf(Outcome.DeadDestination.class, pathy).reason());
        assertTrue(LOG.channel("apns").isEmpty());
    }

    @Test
    void throttlingMakesOnlyThisDeviceWaitMinutes() throws Exception {
        FAULTS.set("apns", new FaultSpec(0, 1, 1, 0, 0));

        Outcome outcome = send(client, TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken()));

        Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class, outcome);
        assertEquals("TooManyRequests", retry.reason());
        assertEquals(Outcome.Scope.DESTINATION, retry.scope());
        assertTrue(retry.delay().toMinutes() >= 1);
        assertFalse(retry.maybeSent());
        assertTrue(LOG.channel("apns").isEmpty());
    }

    @Test
    void serverErrorsRetryTheDeliveryAfterABriefWait() throws Exception {
        FAULTS.set("apns", new FaultSpec(1, 0, 1, 0, 0));
        Set<String> reasons = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                    send(client, TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken())));
            assertEquals(Outcome.Scope.DESTINATION, retry.scope());
            assertTrue(retry.delay().toMillis() > 0 && retry.delay().toSeconds() < 10);
            reasons.add(retry.reason());
        }
        assertTrue(Set.of("InternalServerError", "ServiceUnavailable").containsAll(reasons), reasons.toString());
        assertTrue(LOG.channel("apns").isEmpty());
    }

    @Test
    void aDroppedConnectionIsMaybeSentAndTheClientReconnects() throws Exception {
        FAULTS.set("apns", new FaultSpec(0, 0, 1, 1, 0));
        Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                send(client, TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken())));
        assertTrue(retry.maybeSent());

        FAULTS.clear();
        assertInstanceOf(Outcome.Delivered.class, send(client, TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken())));
    }

    @Test
    void anAnswerLaterThanTheTimeoutIsMaybeSent() throws Exception {
        FAULTS.set("apns", new FaultSpec(0, 0, 1, 0, 1500));
        try (ApnsProviderClient impatient = new ApnsProviderClient(
                SandboxSettings.apns(sandbox).withLimits(Duration.ofMillis(400), 10))) {
            long start = System.nanoTime();
            Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                    send(impatient, TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken())));
            assertEquals("apns_timeout", retry.reason());
            assertTrue(retry.maybeSent());
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1400));
        }
    }

    @Test
    void sendsOverTheInFlightBoundAreRefusedAtOnce() throws Exception {
        FAULTS.set("apns", new FaultSpec(0, 0, 1, 0, 400));
        try (ApnsProviderClient narrow = new ApnsProviderClient(
                SandboxSettings.apns(sandbox).withLimits(Duration.ofSeconds(5), 1))) {
            CompletableFuture<Outcome> first = narrow.send(TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken()));
            Outcome second = narrow.send(TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken())).get(1, TimeUnit.SECONDS);

            Outcome.RetryLater refused = assertInstanceOf(Outcome.RetryLater.class, second);
            assertEquals("apns_in_flight_limit", refused.reason());
            assertFalse(refused.maybeSent());
            assertInstanceOf(Outcome.Delivered.class, first.get(5, TimeUnit.SECONDS));
            assertEquals(1, LOG.channel("apns").size());
        }
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRejectedAndHoldsTheProvider() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String otherKey = Pem.pkcs8(generator.generateKeyPair().getPrivate());
        ApnsSettings right = SandboxSettings.apns(sandbox);
        try (ApnsProviderClient forger = new ApnsProviderClient(right.withSigningKey(otherKey, right.keyId()))) {
            Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                    send(forger, TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken())));
            assertEquals("InvalidProviderToken", retry.reason());
            assertEquals(Outcome.Scope.PROVIDER, retry.scope());
            assertTrue(retry.delay().toSeconds() >= 30);
        }
        assertTrue(LOG.channel("apns").isEmpty());
        assertTrue(sandbox.rejections().getOrDefault("INVALID_PROVIDER_TOKEN", 0) >= 1);
    }

    @Test
    void anUnreachableServerIsNotSent() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ApnsSettings s = SandboxSettings.apns(sandbox);
        ApnsSettings nowhere = new ApnsSettings("127.0.0.1", closedPort, s.signingKeyPem(), s.keyId(), s.teamId(),
                s.topic(), s.trustedCertificate(), 1, Duration.ofSeconds(2), 10, s.messageTtl());
        try (ApnsProviderClient lost = new ApnsProviderClient(nowhere)) {
            Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                    send(lost, TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken())));
            assertEquals("apns_unreachable", retry.reason());
            assertEquals(Outcome.Scope.PROVIDER, retry.scope());
            assertFalse(retry.maybeSent());
        }
    }

    @Test
    void aServerWhoseCertificateIsNotTrustedIsNotSent() throws Exception {
        ApnsSettings s = SandboxSettings.apns(sandbox);
        ApnsSettings systemCas = new ApnsSettings(s.host(), s.port(), s.signingKeyPem(), s.keyId(), s.teamId(),
                s.topic(), null, 1, Duration.ofSeconds(3), 10, s.messageTtl());
        try (ApnsProviderClient wary = new ApnsProviderClient(systemCas)) {
            Outcome.RetryLater retry = assertInstanceOf(Outcome.RetryLater.class,
                    send(wary, TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken())));
            assertEquals("apns_unreachable", retry.reason());
            assertFalse(retry.maybeSent());
        }
        assertTrue(LOG.channel("apns").isEmpty());
    }

    @Test
    void aLongTextIsShortenedToFitTheFourKilobytePayload() throws Exception {
        Delivery d = TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken(), "\u00e9\u263a".repeat(3000));

        assertInstanceOf(Outcome.Delivered.class, send(client, d));

        String payload = LOG.channel("apns").get(0).payload();
        assertTrue(payload.getBytes(StandardCharsets.UTF_8).length <= 4096);
        assertTrue(Json.mapper().readTree(payload).path("aps").path("alert").path("body").asText().endsWith("\u2026"));
        assertEquals(d.messageId(), LOG.channel("apns").get(0).messageId());
    }

    @Test
    void aClosedClientRefusesWithoutThrowing() throws Exception {
        ApnsProviderClient closed = new ApnsProviderClient(SandboxSettings.apns(sandbox));
        closed.close();
        Outcome outcome = send(closed, TestDeliveries.to(Channel.APNS, TestDeliveries.apnsToken()));
        assertEquals("apns_client_closed", assertInstanceOf(Outcome.RetryLater.class, outcome).reason());
    }

    @Test
    void aClientInAnotherProcessDeliversWithTheSandboxsEnvFileAlone(@TempDir Path dir) throws Exception {
        ReceivedLog log = new ReceivedLog();
        try (ApnsSandbox other = ApnsSandbox.start(0, log, new SandboxFaults(), dir)) {
            // what a pacer in another process does: read the env file's variables, nothing else
            Map<String, String> env = new HashMap<>();
            for (String line : CredentialFiles.read(dir.resolve("apns-sandbox.env")).split("\n")) {
                if (!line.startsWith("#") && line.contains("=")) {
                    String value = line.substring(line.indexOf('=') + 1);
                    env.put(line.substring(0, line.indexOf('=')), value.substring(1, value.length() - 1));
                }
            }
            try (ApnsProviderClient fromFile = new ApnsProviderClient(ApnsSettings.fromEnv(new Env(env)))) {
                assertInstanceOf(Outcome.Delivered.class, fromFile.send(TestDeliveries.to(Channel.APNS,
                        TestDeliveries.apnsToken())).get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, log.channel("apns").size());
        }
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
