package io.groupwire.sandbox.apns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.auth.AuthenticationToken;
import io.groupwire.sandbox.ReceivedLog;
import io.groupwire.sandbox.SandboxFaults;
import io.groupwire.sandbox.credentials.CredentialFiles;
import io.groupwire.sandbox.credentials.Pem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The APNs sandbox's latency fault delays answers without blocking: requests sent together on one
 * HTTP/2 connection are all answered about one latency later, not one latency after each other.
 */
class ApnsLatencyTest {
    private static final int LATENCY_MS = 400;
    private static final int REQUESTS = 12;

    @Test
    void concurrentRequestsOnOneConnectionAreAnsweredTogetherAfterTheLatency(@TempDir Path credentials) throws Exception {
        SandboxFaults faults = new SandboxFaults();
        ReceivedLog log = new ReceivedLog();
        Vertx vertx = Vertx.vertx();
        try (ApnsSandbox sandbox = ApnsSandbox.start(0, log, faults, credentials)) {
            Map<String, String> env = sandbox.clientEnvironment();
            ApnsSigningKey key = new ApnsSigningKey(env.get("GROUPWIRE_APNS_KEY_ID"), env.get("GROUPWIRE_APNS_TEAM_ID"),
                    (ECPrivateKey) Pem.readPkcs8(CredentialFiles.read(Path.of(env.get("GROUPWIRE_APNS_KEY_FILE")))));
            String authorization = new AuthenticationToken(key, Instant.now()).getAuthorizationHeader().toString();
            // one connection, as Pushy's client uses by default: every request shares its event loop
            HttpClient http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setSsl(true).setUseAlpn(true).setHttp2MultiplexingLimit(100)
                    .setTrustOptions(new PemTrustOptions().addCertPath(env.get("GROUPWIRE_APNS_TRUSTED_CERT")))
                    .setDefaultHost("127.0.0.1").setDefaultPort(sandbox.port()), new PoolOptions().setHttp2MaxSize(1));
            // the connection is set up without latency: only answers are measured
            assertEquals(List.of(200), send(http, env, authorization, 1));

            faults.set("apns", new SandboxFaults.FaultSpec(0, 0, 1, 0, LATENCY_MS));
            long start = System.nanoTime();
            List<Integer> statuses = send(http, env, authorization, REQUESTS);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals(REQUESTS, statuses.stream().filter(s -> s == 200).count(), "answers: " + statuses);
            assertTrue(elapsedMs >= LATENCY_MS, "answered in " + elapsedMs + " ms, before the latency");
            // blocking the event loop per request would take REQUESTS x LATENCY_MS (4.8 s)
            assertTrue(elapsedMs < 3 * LATENCY_MS, REQUESTS + " concurrent requests took " + elapsedMs + " ms");
            assertEquals(REQUESTS + 1, log.channel("apns").size());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static List<Integer> send(HttpClient http, Map<String, String> env, String authorization, int n)
            throws Exception {
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                    .setURI("/3/device/" + ApnsSandboxTest.apnsToken())
                    .putHeader("apns-topic", env.get("GROUPWIRE_APNS_TOPIC"))
                    .putHeader("apns-push-type", "alert")
                    .putHeader("authorization", authorization);
            answers.add(http.request(options)
                    .compose(req -> req.send(Buffer.buffer("{\"aps\":{\"alert\":\"hi\"},\"gw_message_id\":\"m-" + System.nanoTime() + "\"}")))
                    .compose(r -> r.body().map(b -> r.statusCode())));
        }
        Future.all(answers).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return answers.stream().map(Future::result).toList();
    }
}
