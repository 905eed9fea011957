package io.groupwire.deploy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Checks, before anything starts, that every port the runner is about to listen on is free, so
 * that a port taken by another program is a clear start-up error naming the port and the variable
 * to change, not a half-started platform (or, for Redis, a platform that silently uses someone
 * else's server).
 */
final class Ports {
    /**
     * A port the runner will listen on.
     *
     * @param what     what listens there, for the message
     * @param host     the address it binds
     * @param port     the port; 0 (a free one, picked at start) is never checked
     * @param variable the variable that moves it
     * @param advice   what else to do about it, or null
     */
    record Listener(String what, String host, int port, String variable, String advice) {
    }

    private Ports() {
    }

    /** Fails with the first listener whose port is taken. */
    static void checkFree(List<Listener> listeners) {
        for (Listener l : listeners) {
            if (l.port() != 0 && !free(l.host(), l.port())) {
                throw new IllegalStateException("port " + l.port() + " on " + l.host() + " (" + l.what()
                        + ") is in use by another program; set " + l.variable() + " to a free port"
                        + (l.advice() == null ? "" : ", or " + l.advice()));
            }
        }
    }

    private static boolean free(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            // as the servers themselves bind: a port in TIME_WAIT is free, one with a listener is not
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
