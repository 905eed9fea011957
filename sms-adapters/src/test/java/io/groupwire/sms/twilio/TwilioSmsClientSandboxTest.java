package io.groupwire.sms.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.groupwire.core.config.Env;
import io.groupwire.core.delivery.Outcome;
import io.groupwire.core.delivery.Outcome.DeadDestination;
import io.groupwire.core.delivery.Outcome.Delivered;
import io.groupwire.core.delivery.Outcome.Failed;
import io.groupwire.core.delivery.Outcome.RetryLater;
import io.groupwire.core.message.Channel;
import io.groupwire.core.message.Delivery;
import io.groupwire.sandbox.LocalServer;
import io.groupwire.sandbox.ReceivedDelivery;
import io.groupwire.sandbox.ReceivedLog;
import io.groupwire.sandbox.SandboxFaults;
import io.groupwire.sandbox.SandboxFaults.FaultSpec;
import io.groupwire.sandbox.twilio.TwilioSandbox;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the sandbox on a real local HTTP server: what the sandbox received, counted. */
class TwilioSmsClientSandboxTest {
    private static final String PHONE = "+15551230001";

    private static Vertx vertx;
    private static ReceivedLog log;
    private static SandboxFaults faults;
    private static TwilioSandbox sandbox;
    private static LocalServer server;

    private TwilioSmsClient client;

    @BeforeAll
    static void startSandbox() throws Exception {
        vertx = Vertx.vertx();
        log = new ReceivedLog();
        faults = new SandboxFaults();
        sandbox = TwilioSandbox.create(log, faults);
        Router router = Router.router(vertx);
        sandbox.mount(router);
        server = LocalServer.start(vertx, router);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void fresh() {
        log.clear();
        faults.clear();
        client = new TwilioSmsClient(vertx, settings(server.baseUrl()));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static Outcome await(CompletableFuture<Outcome> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDeliveryIsAcceptedOnceAndRecordedWithItsDisplayText() throws Exception {
        Delivery d = Sms.to(PHONE, "Ann", "See you at the trailhead ☺ & bring 100% of the snacks");
        Outcome o = await(client.send(d));

        Delivered delivered = assertInstanceOf(Delivered.class, o);
        assertTrue(delivered.providerId().matches("SM[0-9a-f]{32}"), delivered.providerId());
        List<ReceivedDelivery> received = log.channel("sms");
        assertEquals(1, received.size(), "exactly one SMS reached the provider");
        ReceivedDelivery r = received.get(0);
        assertEquals(PHONE, r.address());
        assertEquals("Ann: See you at the trailhead ☺ & bring 100% of the snacks", r.payload());
        assertNull(r.messageId());
        assertEquals(0, client.inFlight());
    }

    @Test
    void emojiAndLongTextsArriveIntactAndCostTheirSegments() throws Exception {
        String text = "Summit reached \uD83C\uDFD4 ".repeat(10);
        Delivery d = Sms.to(PHONE, "Bo", text);
        assertInstanceOf(Delivered.class, await(client.send(d)));
        assertEquals("Bo: " + text, log.channel("sms").get(0).payload());
        assertEquals(3, client.cost(d), "UCS-2, 4 + 180 units: three parts of at most 67");
        assertEquals(2, client.cost(Sms.to(PHONE, null, "a".repeat(161))));
        assertEquals(1, client.cost(Sms.to(PHONE, "", "hi")));
    }

    @Test
    void manyDeliveriesEachArriveExactlyOnce() throws Exception {
        List<CompletableFuture<Outcome>> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            sent.add(client.send(Sms.to("+1555123" + String.format("%04d", i), "C", "n" + i)));
        }
        for (CompletableFuture<Outcome> f : sent) {
            assertInstanceOf(Delivered.class, await(f));
        }
        List<ReceivedDelivery> received = log.channel("sms");
        assertEquals(40, received.size());
        assertEquals(40, received.stream().map(ReceivedDelivery::address).distinct().count());
    }

    @Test
    void anInvalidNumberIsADeadDestination() throws Exception {
        DeadDestination dead = assertInstanceOf(DeadDestination.class, await(client.send(Sms.to("5551234", "A", "hi"))));
        assertEquals("invalid_number", dead.reason());
        assertEquals(0, log.size());
    }

    @Test
    void anOptedOutNumberIsADeadDestinationUntilItOptsBackIn() throws Exception {
        String phone = "+15559870001";
        sandbox.optOut(phone);
        try {
            DeadDestination dead = assertInstanceOf(DeadDestination.class, await(client.send(Sms.to(phone, "A", "hi"))));
            assertEquals("opted_out", dead.reason());
            assertEquals(0, log.size());
        } finally {
            sandbox.optIn(phone);
        }
        assertInstanceOf(Delivered.class, await(client.send(Sms.to(phone, "A", "hi"))));
    }

    @Test
    void aLandlineIsADeadDestination() throws Exception {
        String phone = "+15559870002";
        sandbox.markNotMobile(phone);
        DeadDestination dead = assertInstanceOf(DeadDestination.class, await(client.send(Sms.to(phone, "A", "hi"))));
        assertEquals("not_mobile", dead.reason());
        assertEquals(0, log.size());
    }

    @Test
    void aBodyOverSixteenHundredCharactersFailsPermanently() throws Exception {
        Failed failed = assertInstanceOf(Failed.class, await(client.send(Sms.to(PHONE, "A", "x".repeat(1700)))));
        assertEquals("twilio_21617", failed.reason());
        assertEquals(0, log.size());
    }

    @Test
    void wrongCredentialsPauseTheProviderForTheAuthDelayWithoutSending() throws Exception {
        try (TwilioSmsClient wrong = new TwilioSmsClient(vertx,
                settings(server.baseUrl()).withAuthToken("not-the-token"))) {
            RetryLater r = assertInstanceOf(RetryLater.class, await(wrong.send(Sms.to(PHONE, "A", "hi"))));
            assertEquals("auth_rejected", r.reason());
            assertEquals(Outcome.Scope.PROVIDER, r.scope());
            assertEquals(Duration.ofSeconds(60), r.delay());
            assertFalse(r.maybeSent());
        }
        TwilioSettings s = settings(server.baseUrl());
        TwilioSettings otherAccount = new TwilioSettings(s.baseUrl(), "AC0000", s.authToken(), s.from(), s.timeout(),
                s.maxInFlight(), Duration.ofSeconds(5));
        try (TwilioSmsClient wrong = new TwilioSmsClient(vertx, otherAccount)) {
            RetryLater r = assertInstanceOf(RetryLater.class, await(wrong.send(Sms.to(PHONE, "A", "hi"))));
            assertEquals("auth_rejected", r.reason());
            assertEquals(Duration.ofSeconds(5), r.delay());
        }
        assertEquals(0, log.size());
    }

    @Test
    void aThrottledRequestIsSafeToRetryAfterTheProvidersRetryAfter() throws Exception {
        faults.set("sms", new FaultSpec(0, 1, 7, 0, 0));
        RetryLater r = assertInstanceOf(RetryLater.class, await(client.send(Sms.to(PHONE, "A", "hi"))));
        assertEquals("throttled", r.reason());
        assertEquals(Outcome.Scope.PROVIDER, r.scope());
        assertEquals(Duration.ofSeconds(7), r.delay());
        assertFalse(r.maybeSent(), "20429 is never processed");
        assertEquals(0, log.size());
    }

    @Test
    void aServerErrorMayHaveSent() throws Exception {
        faults.set("sms", new FaultSpec(1, 0, 1, 0, 0));
        RetryLater r = assertInstanceOf(RetryLater.class, await(client.send(Sms.to(PHONE, "A", "hi"))));
        assertEquals("server_error", r.reason());
        assertTrue(r.maybeSent());
        assertEquals(Outcome.Scope.PROVIDER, r.scope());
    }

    @Test
    void aDroppedConnectionMayHaveSent() throws Exception {
        faults.set("sms", new FaultSpec(0, 0, 1, 1, 0));
        RetryLater r = assertInstanceOf(RetryLater.class, await(client.send(Sms.to(PHONE, "A", "hi"))));
        assertEquals("connection_lost", r.reason());
        assertTrue(r.maybeSent());
        // the client recovers: the next request gets a fresh connection
        faults.clear();
        assertInstanceOf(Delivered.class, await(client.send(Sms.to(PHONE, "A", "again"))));
        assertEquals(1, log.size());
    }

    @Test
    void aTimeoutAfterTheRequestWasWrittenMayHaveSentAndIndeedDid() throws Exception {
        faults.set("sms", new FaultSpec(0, 0, 1, 0, 1500));
        try (TwilioSmsClient impatient = new TwilioSmsClient(vertx,
                settings(server.baseUrl()).withTimeout(Duration.ofMillis(300)))) {
            long start = System.nanoTime();
            RetryLater r = assertInstanceOf(RetryLater.class, await(impatient.send(Sms.to(PHONE, "A", "slow"))));
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("timeout", r.reason());
            assertTrue(r.maybeSent());
            assertTrue(tookMillis >= 290 && tookMillis < 1400, "gave up at its budget: " + tookMillis + " ms");
        }
        // this is why maybeSent matters for SMS: the provider had accepted it
        assertEquals(1, log.size());
    }

    @Test
    void aRefusedConnectionWasNotSent() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        TwilioSettings s = settings("http://127.0.0.1:" + closedPort);
        try (TwilioSmsClient unreachable = new TwilioSmsClient(vertx, s)) {
            RetryLater r = assertInstanceOf(RetryLater.class, await(unreachable.send(Sms.to(PHONE, "A", "hi"))));
            assertEquals("connect_failed", r.reason());
            assertFalse(r.maybeSent());
            assertEquals(Outcome.Scope.PROVIDER, r.scope());
        }
    }

    @Test
    void requestsInFlightAreBounded() throws Exception {
        faults.set("sms", new FaultSpec(0, 0, 1, 0, 400));
        try (TwilioSmsClient narrow = new TwilioSmsClient(vertx,
                settings(server.baseUrl()).withMaxInFlight(2))) {
            List<CompletableFuture<Outcome>> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(narrow.send(Sms.to(PHONE, "A", "n" + i)));
            }
            assertEquals(2, narrow.inFlight());
            int delivered = 0;
            int saturated = 0;
            for (CompletableFuture<Outcome> f : sent) {
                Outcome o = await(f);
                if (o instanceof Delivered) {
                    delivered++;
                } else if (o instanceof RetryLater r && r.reason().equals("client_saturated") && !r.maybeSent()) {
                    saturated++;
                }
            }
            assertEquals(2, delivered);
            assertEquals(3, saturated);
            assertEquals(0, narrow.inFlight(), "permits are returned");
            assertEquals(2, log.size());
            faults.clear();
            assertInstanceOf(Delivered.class, await(narrow.send(Sms.to(PHONE, "A", "after"))));
        }
    }

    @Test
    void deliveriesThatCannotBeSentFailWithoutARequest() throws Exception {
        assertEquals("empty_body", assertInstanceOf(Failed.class, await(client.send(Sms.to(PHONE, null, "")))).reason());
        assertEquals("empty_body", assertInstanceOf(Failed.class, await(client.send(Sms.to(PHONE, null, null)))).reason());
        Delivery push = Delivery.builder().id("id").messageId("m").groupId("g").groupName("G").senderId("u").senderName("U")
                .recipientId("r").deviceId("dev").channel(Channel.FCM).address("token").text("hi").build();
        assertEquals("not_sms", assertInstanceOf(Failed.class, await(client.send(push))).reason());
        assertEquals(0, log.size());
    }

    @Test
    void aClosedClientSendsNothing() throws Exception {
        client.close();
        RetryLater r = assertInstanceOf(RetryLater.class, await(client.send(Sms.to(PHONE, "A", "hi"))));
        assertFalse(r.maybeSent());
        assertEquals(0, log.size());
    }

    @Test
    void clientSettingsPointAtTheSandbox() {
        TwilioSettings s = settings("http://127.0.0.1:8090");
        assertEquals(URI.create("http://127.0.0.1:8090"), s.baseUrl());
        assertEquals(sandbox.accountSid(), s.accountSid());
        assertTrue(s.accountSid().matches("AC[0-9a-f]{32}"));
        assertEquals(TwilioSandbox.DEFAULT_FROM, s.from());
    }

    /** Client settings read from the variables the sandbox hands out, the way a pacer reads them. */
    private static TwilioSettings settings(String baseUrl) {
        return TwilioSettings.fromEnv(new Env(sandbox.clientEnvironment(baseUrl)));
    }
}
