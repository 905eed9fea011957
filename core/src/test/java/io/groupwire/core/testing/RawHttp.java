package io.groupwire.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client would send: malformed lines, broken
 * chunks, bytes that trickle in. Reads one answer (up to its Content-Length) or until the server
 * closes the connection.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    /** Bytes read past the last answer (a pipelined answer's beginning). */
    private byte[] leftover = new byte[0];

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** A connection to 127.0.0.1:{@code port} from the loopback address {@code from} (e.g. 127.0.0.2). */
    public static RawHttp connect(int port, String from) throws IOException {
        Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0);
        s.setTcpNoDelay(true);
        return new RawHttp(s);
    }

    /** Sends {@code request} on a new connection and reads the answer. */
    public static Answer exchange(int port, String request, Duration timeout) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), timeout);
    }

    public static Answer exchange(int port, byte[] request, Duration timeout) throws IOException {
        try (RawHttp c = connect(port, "127.0.0.1")) {
            c.send(request);
            return c.answer(timeout);
        }
    }

    /** Writes bytes; false if the server has closed the connection. */
    public boolean send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The next answer, or one with status 0 when the connection closed or the time ran out without one. */
    public Answer answer(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        got.write(leftover);
        leftover = new byte[0];
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        boolean closed = false;
        while (true) {
            byte[] sofar = got.toByteArray();
            Answer complete = Answer.parse(sofar, false);
            if (complete != null) {
                int used = Answer.length(sofar);
                leftover = java.util.Arrays.copyOfRange(sofar, used, sofar.length);
                return complete;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                break;
            } catch (IOException e) {
                closed = true;
                break;
            }
            if (n < 0) {
                closed = true;
                break;
            }
            got.write(buf, 0, n);
        }
        Answer partial = Answer.parse(got.toByteArray(), true);
        return partial != null ? partial.closing(closed) : new Answer(0, "", "", closed);
    }

    /** Whether the server closed the connection within {@code timeout} (reading and discarding what it sends). */
    public boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[1024];
        while (System.nanoTime() < deadline) {
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            try {
                if (socket.getInputStream().read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** An answer: its status (0 for none), its head and body, and whether the server closed the connection after it. */
    public record Answer(int status, String head, String body, boolean closed) {
        Answer closing(boolean c) {
            return new Answer(status, head, body, c);
        }

        /** How many bytes of {@code bytes} the complete answer at its start takes. */
        static int length(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            int length = 0;
            for (String line : text.substring(0, end).split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return end + 4 + length;
        }

        static Answer parse(byte[] bytes, boolean atEnd) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0 || !text.startsWith("HTTP/")) {
                return null;
            }
            String head = text.substring(0, end);
            int status = Integer.parseInt(head.substring(9, 12));
            int length = -1;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            String rest = text.substring(end + 4);
            if (length >= 0 && rest.length() >= length) {
                return new Answer(status, head, new String(rest.substring(0, length).getBytes(StandardCharsets.ISO_8859_1),
                        StandardCharsets.UTF_8), false);
            }
            return atEnd ? new Answer(status, head, rest, false) : null;
        }
    }
}
