package io.groupwire.deploy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of hostile HTTP requests, as raw bytes: malformed HTTP (versions, Host, header
 * lines, chunking, lengths, sizes), adversarial JSON (nesting, huge numbers, duplicate keys, wrong
 * types, Unicode edge cases, huge strings, trailing data), garbage authentication, path tricks and
 * odd methods. Every request is complete (the server can judge it without waiting for more), and none
 * can change what the honest members of the target group receive: authenticated garbage uses the
 * attacker's token, and the honest sender's token only carries message bodies, whose acceptance the
 * caller tracks.
 */
final class HostileRequests {
    /** Where and as whom the requests go. */
    record Targets(int gateway, List<Integer> managementPorts, String honestGroup, String honestToken, String attackerGroup,
                   String attackerToken, List<String> attackerUserIds, String adminToken) {
    }

    /** One request: the port it is sent to, its bytes, and whether it sends a message as the honest sender. */
    record Request(int port, byte[] bytes, boolean asHonestSender, String label) {
    }

    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "BREW", "get"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8", "application/jsonx",
        "application/vnd.api+json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "", "application/json;;", "*/*"};
    private static final String[] WEIRD_TEXT = {"\\ud800", "\\udfff", "\\ud83d\\ude00", "\\u0000", "\\u202e", "\\u200d", "\\ufeff",
        "\\uffff", "\\u001b[31m", "e\\u0301", "\\\\", "\\\"", "\\/", "\uD83D\uDE00", "\u202E", "\u0000", "\uFFFF", "ﷺ", "𝕏", "<script>", "%00",
        "${jndi:x}", "{{7*7}}", "'; DROP TABLE x; --"};

    private final Random random;
    private final Targets t;

    HostileRequests(long seed, Targets targets) {
        this.random = new Random(seed);
        this.t = targets;
    }

    /** The next hostile request (honest sends are the caller's to mix in). */
    Request next() {
        int kind = random.nextInt(100);
        if (kind < 30) {
            return malformedHttp();
        }
        if (kind < 60) {
            return adversarialJson();
        }
        if (kind < 75) {
            return authGarbage();
        }
        return pathTrick();
    }

    private int anyPort() {
        return random.nextInt(3) == 0 ? t.managementPorts().get(random.nextInt(t.managementPorts().size())) : t.gateway();
    }

    private Request malformedHttp() {
        int port = anyPort();
        String path = random.nextBoolean() ? "/health" : "/v1/groups/" + t.honestGroup() + "/messages";
        String head = switch (random.nextInt(22)) {
            case 0 -> "GET " + path + " HTTP/1.2\r\nHost: x\r\n\r\n";
            case 1 -> "GET " + path + " HTTP/2.0\r\nHost: x\r\n\r\n";
            case 2 -> "GET " + path + " HTTP/0.9\r\nHost: x\r\n\r\n";
            case 3 -> "GET " + path + " HTTP/1.1\r\n\r\n";
            case 4 -> "GET " + path + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n";
            case 5 -> "GET " + path + " HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n";
            case 6 -> "GET " + path + " HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n";
            case 7 -> "GET " + path + " HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n";
            case 8 -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n";
            case 9 -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nabc\r\n0\r\n\r\n";
            case 10 -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nabc\r\n0\r\n\r\n";
            case 11 -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcdef\r\n0\r\n\r\n";
            case 12 -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
            case 13 -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n";
            case 14 -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n";
            case 15 -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc";
            case 16 -> "GET " + path + " HTTP/1.1\r\nHost: x\r\nX: " + "h".repeat(8200 + random.nextInt(4000)) + "\r\n\r\n";
            case 17 -> "GET /" + "u".repeat(4100 + random.nextInt(4000)) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case 18 -> "GARBAGE " + randomAscii(1 + random.nextInt(40)) + "\r\n\r\n";
            case 19 -> "GET " + path + " HTTP/1.1\r\nHost: x\r\n folded: line\r\n\r\n";
            case 20 -> "POST " + path + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n";
            default -> null;
        };
        if (head == null) {
            // random bytes as a request line, then the end of a head
            byte[] noise = new byte[1 + random.nextInt(300)];
            random.nextBytes(noise);
            for (int i = 0; i < noise.length; i++) {
                if (noise[i] == '\r' || noise[i] == '\n') {
                    noise[i] = 'x';
                }
            }
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write('G');
            b.writeBytes(noise);
            b.writeBytes(" HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return new Request(port, b.toByteArray(), false, "noise");
        }
        return new Request(port, head.getBytes(StandardCharsets.ISO_8859_1), false, "malformed-http");
    }

    private Request adversarialJson() {
        boolean honest = random.nextInt(3) == 0;
        String token = honest ? t.honestToken() : t.attackerToken();
        String path;
        String body;
        if (honest) {
            path = "/v1/groups/" + t.honestGroup() + "/messages";
            body = messageBody();
        } else {
            switch (random.nextInt(5)) {
                case 0 -> {
                    path = "/v1/groups/" + (random.nextBoolean() ? t.attackerGroup() : t.honestGroup()) + "/messages";
                    body = messageBody();
                }
                case 1 -> {
                    path = "/v1/groups";
                    body = "{\"name\":" + jsonValue(0) + ",\"members\":" + (random.nextBoolean()
                            ? "[\"" + t.attackerUserIds().get(random.nextInt(t.attackerUserIds().size())) + "\"]" : jsonValue(0)) + "}";
                }
                case 2 -> {
                    path = "/v1/devices";
                    body = "{\"platform\":" + (random.nextBoolean() ? "\"fcm\"" : jsonValue(0)) + ",\"token\":" + jsonValue(0) + "}";
                }
                case 3 -> {
                    path = "/v1/groups/" + t.attackerGroup() + "/members";
                    body = "{\"user_id\":" + jsonValue(0) + "}";
                }
                default -> {
                    path = "/v1/users";
                    token = random.nextBoolean() ? t.adminToken() : t.attackerToken();
                    body = "{\"name\":" + jsonValue(0) + (random.nextBoolean() ? ",\"phone\":" + jsonValue(0) : "") + "}";
                }
            }
        }
        body = mangle(body);
        String type = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
        return new Request(t.gateway(), http("POST", path, token, type, body.getBytes(StandardCharsets.UTF_8)), honest, "json");
    }

    private String messageBody() {
        String guid = random.nextInt(4) == 0 ? jsonValue(0) : "\"h-" + random.nextInt(1_000_000) + "\"";
        String text = random.nextInt(3) == 0 ? jsonValue(0) : "\"" + weirdText() + "\"";
        return switch (random.nextInt(6)) {
            case 0 -> "{\"source_guid\":" + guid + ",\"text\":" + text + ",\"text\":\"again\"}";
            case 1 -> "{\"source_guid\":" + guid + ",\"text\":" + text + ",\"sender_id\":\"u_someone\"}";
            case 2 -> "{\"text\":" + text + "}";
            default -> "{\"source_guid\":" + guid + ",\"text\":" + text + "}";
        };
    }

    /** Sometimes breaks a document: nesting, a huge number, trailing data, bad bytes, or nothing. */
    private String mangle(String body) {
        return switch (random.nextInt(10)) {
            case 0 -> "[".repeat(10 + random.nextInt(5000)) + "]".repeat(random.nextInt(3));
            case 1 -> body.substring(0, body.length() - 1) + ",\"n\":" + "9".repeat(900 + random.nextInt(300)) + "}";
            case 2 -> body + (random.nextBoolean() ? "{}" : "garbage");
            case 3 -> body.substring(0, random.nextInt(body.length()));
            case 4 -> "\uFEFF" + body;
            case 5 -> body.replace("\"", "'");
            default -> body;
        };
    }

    private String jsonValue(int depth) {
        return switch (random.nextInt(depth > 3 ? 7 : 9)) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> random.nextBoolean() ? "true" : "null";
            case 2 -> "1e" + random.nextInt(100_000);
            case 3 -> "\"" + "x".repeat(random.nextInt(3) == 0 ? 70_000 : random.nextInt(200)) + "\"";
            case 4, 5 -> "\"" + weirdText() + "\"";
            case 6 -> "\"+1555" + (1_000_000 + random.nextInt(9_000_000)) + "\"";
            case 7 -> "[" + jsonValue(depth + 1) + "," + jsonValue(depth + 1) + "]";
            default -> "{\"k\":" + jsonValue(depth + 1) + ",\"k\":" + jsonValue(depth + 1) + "}";
        };
    }

    private String weirdText() {
        StringBuilder b = new StringBuilder();
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            b.append(random.nextBoolean() ? WEIRD_TEXT[random.nextInt(WEIRD_TEXT.length)] : randomAscii(1 + random.nextInt(10)));
        }
        return b.toString();
    }

    private Request authGarbage() {
        String path = random.nextBoolean() ? "/v1/groups/" + t.honestGroup() : "/v1/groups/" + t.honestGroup() + "/messages";
        String auth = switch (random.nextInt(9)) {
            case 0 -> "Bearer";
            case 1 -> "Bearer  " + t.honestToken();
            case 2 -> "Basic dXNlcjpwYXNz";
            case 3 -> "Bearer " + "A".repeat(random.nextInt(7000));
            case 4 -> "Bearer " + t.honestToken() + "x";
            case 5 -> "Bearer " + t.honestToken().substring(1);
            case 6 -> "Bearer \u00ff\u00fe" + randomAscii(20);
            case 7 -> "Bearer " + t.adminToken();
            default -> "bearer " + randomAscii(43);
        };
        String method = random.nextBoolean() ? "GET" : "POST";
        byte[] body = method.equals("POST") ? "{\"source_guid\":\"auth\",\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8) : new byte[0];
        String extra = random.nextInt(4) == 0 ? "Authorization: Bearer " + t.honestToken() + "\r\n" : "";
        String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: " + auth + "\r\n" + extra
                + (body.length > 0 ? "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n" : "") + "\r\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(body);
        // a send with the honest token somewhere in it may well be accepted ("Bearer  token" is valid): tracked as such
        return new Request(t.gateway(), b.toByteArray(), method.equals("POST") && path.endsWith("/messages"), "auth");
    }

    private Request pathTrick() {
        String g = t.honestGroup();
        String path = switch (random.nextInt(16)) {
            case 0 -> "/v1/groups/../users";
            case 1 -> "/v1/groups/%2e%2e/%2e%2e/etc/passwd";
            case 2 -> "/v1//groups/" + g;
            case 3 -> "/v1/groups/%00";
            case 4 -> "/v1/groups/%ZZ";
            case 5 -> "/v1/groups/" + g + ";jsessionid=x";
            case 6 -> "/v1/groups/" + g + "?a=1&a=2&" + "p=".repeat(200);
            case 7 -> "http://evil.example/v1/groups/" + g;
            case 8 -> "*";
            case 9 -> "/v1/groups/" + "g".repeat(100 + random.nextInt(3000));
            case 10 -> "/v1/groups/\u00e9\u00e8";
            case 11 -> "/v1\\groups\\" + g;
            case 12 -> "/v1/groups/" + g + "%2Fmembers";
            case 13 -> "/metrics/../health";
            case 14 -> "/v1/groups/" + g + "/members/%7Bs1%7D";
            default -> "/" + randomAscii(1 + random.nextInt(30)).replace(" ", "%20");
        };
        String method = METHODS[random.nextInt(METHODS.length)];
        int port = random.nextInt(4) == 0 ? anyPort() : t.gateway();
        String token = random.nextBoolean() ? t.attackerToken() : t.honestToken();
        byte[] body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
                ? "{\"x\":1}".getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (method.equals("DELETE") && token.equals(t.honestToken())) {
            // the honest members stay where they are
            token = t.attackerToken();
        }
        return new Request(port, http(method, path, token, "application/json", body), false, "path");
    }

    static byte[] http(String method, String path, String token, String type, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body.length > 0 || method.equals("POST")) {
            if (!type.isEmpty()) {
                head.append("Content-Type: ").append(type).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        b.writeBytes(body);
        return b.toByteArray();
    }

    private String randomAscii(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) (33 + random.nextInt(94)));
        }
        return b.toString();
    }
}
