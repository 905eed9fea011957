package io.groupwire.core.inbound;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature ({@code X-Twilio-Signature}): Base64 of the HMAC-SHA1, keyed with the
 * account's auth token, of the full public URL followed by every form parameter's name and value,
 * sorted by name (a repeated name's values in order). The gateway checks it; the sandbox's carrier
 * computes it.
 */
public final class TwilioSignature {
    private TwilioSignature() {
    }

    /** The signature of a form POST to {@code url}. */
    public static String sign(String authToken, String url, Map<String, List<String>> params) {
        StringBuilder data = new StringBuilder(url);
        for (Map.Entry<String, List<String>> e : new TreeMap<>(params).entrySet()) {
            List<String> values = new ArrayList<>(e.getValue());
            values.sort(null);
            for (String v : values) {
                data.append(e.getKey()).append(v);
            }
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /** Whether {@code given} is the signature, compared in constant time. */
    public static boolean valid(String authToken, String url, Map<String, List<String>> params, String given) {
        if (given == null) {
            return false;
        }
        byte[] expected = sign(authToken, url, params).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given.strip().getBytes(StandardCharsets.US_ASCII));
    }
}
