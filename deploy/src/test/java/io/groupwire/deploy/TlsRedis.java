package io.groupwire.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.groupwire.core.redis.RedisProcess;
import io.groupwire.sandbox.credentials.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A real Redis serving TLS for tests: Debian's {@code redis-server} (built with TLS, unlike the
 * embedded-redis binary; {@code GROUPWIRE_TLS_REDIS_SERVER} may name another), with a certificate
 * for 127.0.0.1 and localhost signed by a CA made for the test, and a password. Without such a
 * binary the test is skipped on a developer's machine and fails in CI ({@code CI} set), where
 * {@code .ci/run} installs it.
 */
final class TlsRedis implements AutoCloseable {
    private final RedisProcess process;
    private final int tlsPort;
    private final Path caFile;
    private final String password;

    private TlsRedis(RedisProcess process, int tlsPort, Path caFile, String password) {
        this.process = process;
        this.tlsPort = tlsPort;
        this.caFile = caFile;
        this.password = password;
    }

    static TlsRedis start(Path dir, String password) throws Exception {
        Path binary = binary();
        Path ca = certificates(dir);
        int tlsPort = RedisProcess.freePort();
        RedisProcess p = RedisProcess.start(binary, 0, dir.resolve("data"), tlsArgs(dir, tlsPort), password);
        return new TlsRedis(p, tlsPort, ca, password);
    }

    /** The TLS-capable redis-server; skips the test without one, or fails it in CI. */
    static Path binary() throws Exception {
        Path binary = Path.of(System.getenv().getOrDefault("GROUPWIRE_TLS_REDIS_SERVER", "/usr/bin/redis-server"));
        boolean usable = Files.isExecutable(binary) && supportsTls(binary);
        String why = binary + " is missing or built without TLS (apt-get install redis-server; .ci/run does)";
        if (System.getenv("CI") != null) {
            assertTrue(usable, why);
        }
        assumeTrue(usable, why);
        return binary;
    }

    /** Writes a CA and a certificate it signs into {@code dir}; answers the CA's file. */
    static Path certificates(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.pem");
        certificates(ca, dir.resolve("redis.pem"), dir.resolve("redis.key"));
        return ca;
    }

    /** The arguments that make a server with the certificates of {@link #certificates(Path)} serve TLS on {@code tlsPort}. */
    static List<String> tlsArgs(Path dir, int tlsPort) {
        return List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", dir.resolve("redis.pem").toString(),
                "--tls-key-file", dir.resolve("redis.key").toString(), "--tls-ca-cert-file", dir.resolve("ca.pem").toString(),
                "--tls-auth-clients", "no");
    }

    private static boolean supportsTls(Path binary) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor(10, TimeUnit.SECONDS) && version.contains("Redis server")
                // Debian's build links OpenSSL; the embedded one has no TLS at all
                && !binary.getFileName().toString().contains("6.2.6");
    }

    /** A CA, and a certificate it signs for 127.0.0.1 and localhost (server and client use, as Redis nodes need). */
    private static void certificates(Path caFile, Path certFile, Path keyFile) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair caKeys = generator.generateKeyPair();
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        Date from = Date.from(now.minus(Duration.ofDays(1)));
        Date to = Date.from(now.plus(Duration.ofDays(30)));
        X500Name caName = new X500Name("CN=Groupwire test CA");
        JcaX509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, new BigInteger(64, new SecureRandom()),
                from, to, caName, caKeys.getPublic());
        caBuilder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        caBuilder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate ca = sign(caBuilder, caKeys);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caName, new BigInteger(64, new SecureRandom()),
                from, to, new X500Name("CN=localhost"), keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        X509Certificate cert = sign(builder, caKeys);
        Files.writeString(caFile, Pem.certificate(ca));
        Files.writeString(certFile, Pem.certificate(cert));
        Files.writeString(keyFile, Pem.pkcs8(keys.getPrivate()));
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    /** The TLS URL, with the password. */
    String url() {
        return "rediss://default:" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@127.0.0.1:" + tlsPort;
    }

    Path caFile() {
        return caFile;
    }

    @Override
    public void close() {
        process.close();
    }
}
