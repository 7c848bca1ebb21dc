package io.tandem.membership;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of etcd that can fail the way networks do, which stopping etcd cannot: {@link
 * #blackhole()} keeps connections open but drops every byte (a silent partition: nothing errors, answers just stop),
 * and {@link #cut()} drops every connection and refuses new ones (this client alone is disconnected while etcd keeps
 * serving others).
 */
final class TcpProxy implements AutoCloseable {
    private enum Mode {
        FORWARD,
        BLACKHOLE,
        REFUSE
    }

    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.FORWARD;

    TcpProxy(String targetEndpoint) throws IOException {
        this.targetPort = Integer.parseInt(targetEndpoint.substring(targetEndpoint.lastIndexOf(':') + 1));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    void blackhole() {
        mode = Mode.BLACKHOLE;
    }

    void cut() {
        mode = Mode.REFUSE;
        sockets.forEach(TcpProxy::closeQuietly);
    }

    void restore() {
        mode = Mode.FORWARD;
    }

    @Override
    public void close() {
        mode = Mode.REFUSE;
        closeQuietly(server);
        sockets.forEach(TcpProxy::closeQuietly);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (mode == Mode.REFUSE) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // Closed, or etcd itself refused: the client sees its connection fail, as it would without us.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            if (mode == Mode.FORWARD) {
                                out.write(buffer, 0, n);
                                out.flush();
                            }
                        }
                    } catch (IOException e) {
                        // One side closed; close the other so the peer notices too.
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        sockets.remove(from);
                        sockets.remove(to);
                    }
                },
                "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Already closed.
        }
    }
}
