package io.groupwire.sandbox.credentials;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed TLS server certificate for a sandbox provider on this machine: EC P-256, valid for
 * {@code localhost} and {@code 127.0.0.1}, generated with BouncyCastle. Clients trust it by being
 * given the certificate file (for APNs: {@code GROUPWIRE_APNS_TRUSTED_CERT}).
 *
 * @param certificate the certificate, which is also its own trust anchor
 * @param privateKey  the server's key
 */
public record SandboxCertificate(X509Certificate certificate, PrivateKey privateKey) {
    private static final Duration VALIDITY = Duration.ofDays(3650);

    /** Generates a new certificate and key. */
    public static SandboxCertificate generate(String commonName) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=" + commonName);
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new SandboxCertificate(certificate, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot generate a sandbox certificate", e);
        }
    }

    /**
     * The certificate in {@code certificateFile} with its key in {@code keyFile} if both exist and
     * the certificate is still valid for a day; otherwise a new pair, written to those files.
     */
    public static SandboxCertificate loadOrGenerate(Path certificateFile, Path keyFile, String commonName) {
        if (Files.isRegularFile(certificateFile) && Files.isRegularFile(keyFile)) {
            try {
                X509Certificate certificate = Pem.readCertificate(CredentialFiles.read(certificateFile));
                certificate.checkValidity(Date.from(Instant.now().plus(Duration.ofDays(1))));
                return new SandboxCertificate(certificate, Pem.readPkcs8(CredentialFiles.read(keyFile)));
            } catch (GeneralSecurityException | RuntimeException e) {
                // unreadable or expiring: replace it below
            }
        }
        SandboxCertificate fresh = generate(commonName);
        CredentialFiles.writePrivate(keyFile, Pem.pkcs8(fresh.privateKey()));
        CredentialFiles.writePublic(certificateFile, Pem.certificate(fresh.certificate()));
        return fresh;
    }
}
