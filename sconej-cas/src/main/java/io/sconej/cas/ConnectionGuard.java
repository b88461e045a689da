package io.sconej.cas;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;

/**
 * Admission and deadlines for the CAS's TCP connections, below HTTP: what Helidon's webserver does
 * not do by itself (its connection limit is one semaphore taken before the TLS handshake, and its
 * timeouts are per read).
 *
 * <ul>
 *   <li><b>Per-peer limit</b>: at most {@code maxConnectionsPerPeer} open connections (handshaking
 *       or established) per remote IP address; one more is closed at once, before its handshake.
 *   <li><b>Bounded handshakes</b>: at most {@code maxHandshakes} connections may be in their TLS
 *       handshake at once. When one more arrives, the <em>oldest</em> handshake still in progress
 *       is closed: unauthenticated connections can never take every slot, and a new client always
 *       gets one (it is displaced only if {@code maxHandshakes} newer connections arrive during its
 *       own handshake).
 *   <li><b>Handshake deadline</b>: a whole-handshake deadline ({@code handshakeTimeout}) counted
 *       from acceptance, not per read; a handshake that has not finished by then is closed.
 *   <li><b>Request deadline</b>: once a request line has arrived, the rest of the head and the body
 *       must arrive within {@code requestTimeout} (again a deadline, not per read).
 * </ul>
 *
 * Deadlines are enforced by one sweeper thread every {@link #SWEEP}; a connection is closed by
 * closing its TCP socket, which ends the reader blocked on it. A handshake counts as finished when
 * {@link SSLSocket#getApplicationProtocol()} is no longer null (its documented meaning).
 */
final class ConnectionGuard implements AutoCloseable {
  /** How often deadlines are checked. */
  static final Duration SWEEP = Duration.ofMillis(200);

  private static final Logger LOG = Logger.getLogger(ConnectionGuard.class.getName());

  private final long handshakeNanos;
  private final long requestNanos;
  private final int maxHandshakes;
  private final int maxPerPeer;
  private final Object lock = new Object();
  private final ArrayDeque<Conn> handshaking = new ArrayDeque<>();
  private final Map<InetAddress, List<Conn>> byPeer = new HashMap<>();
  private final Map<SocketAddress, Conn> byRemote = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong shed = new AtomicLong();
  private final AtomicLong expired = new AtomicLong();
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("cas-connection-guard").daemon(true).unstarted(r));

  private static final class Conn {
    final Socket raw;
    final SSLSocket tls;
    final SocketAddress remote;
    final long handshakeDeadline;
    volatile long requestDeadline; // 0: no request under way

    Conn(Socket raw, SSLSocket tls, long handshakeDeadline) {
      this.raw = raw;
      this.tls = tls;
      this.remote = raw.getRemoteSocketAddress();
      this.handshakeDeadline = handshakeDeadline;
    }

    boolean closed() {
      return raw.isClosed() || tls.isClosed();
    }

    boolean handshaking() {
      return tls.getApplicationProtocol() == null;
    }

    void kill() {
      try {
        raw.close();
      } catch (IOException e) {
        LOG.log(Level.FINE, "closing a connection failed: {0}", e.getMessage());
      }
    }
  }

  ConnectionGuard(
      Duration handshakeTimeout, Duration requestTimeout, int maxHandshakes, int maxPerPeer) {
    this.handshakeNanos = handshakeTimeout.toNanos();
    this.requestNanos = requestTimeout.toNanos();
    this.maxHandshakes = maxHandshakes;
    this.maxPerPeer = maxPerPeer;
    long ms = SWEEP.toMillis();
    sweeper.scheduleWithFixedDelay(this::sweep, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Admits a connection just accepted, before its handshake, or closes it.
   *
   * @throws IOException if the connection was refused (and closed): its peer has too many
   */
  void admit(Socket raw, SSLSocket tls) throws IOException {
    long now = System.nanoTime();
    Conn c = new Conn(raw, tls, now + handshakeNanos);
    Conn victim = null;
    synchronized (lock) {
      List<Conn> mine = byPeer.computeIfAbsent(raw.getInetAddress(), a -> new ArrayList<>());
      mine.removeIf(Conn::closed);
      if (mine.size() >= maxPerPeer) {
        refused.incrementAndGet();
        raw.close();
        throw new IOException("connection refused: over the per-peer connection limit");
      }
      if (handshaking.size() >= maxHandshakes) {
        handshaking.removeIf(h -> h.closed() || !h.handshaking());
        if (handshaking.size() >= maxHandshakes) {
          victim = handshaking.pollFirst();
        }
      }
      mine.add(c);
      handshaking.addLast(c);
    }
    byRemote.put(c.remote, c);
    if (victim != null) {
      shed.incrementAndGet();
      victim.kill();
    }
  }

  /** A request line arrived on the connection from {@code remote}: its deadline starts. */
  void requestStarted(SocketAddress remote) {
    Conn c = byRemote.get(remote);
    if (c != null) {
      c.requestDeadline = System.nanoTime() + requestNanos;
    }
  }

  /** The request on the connection from {@code remote} was read (or answered). */
  void requestRead(SocketAddress remote) {
    Conn c = byRemote.get(remote);
    if (c != null) {
      c.requestDeadline = 0;
    }
  }

  /** Connections refused by the per-peer limit, so far. */
  long refusedCount() {
    return refused.get();
  }

  /** Handshakes closed to make room for newer ones, so far. */
  long shedCount() {
    return shed.get();
  }

  /** Connections closed at a handshake or request deadline, so far. */
  long expiredCount() {
    return expired.get();
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      List<Conn> late = new ArrayList<>();
      synchronized (lock) {
        for (Iterator<Conn> it = handshaking.iterator(); it.hasNext(); ) {
          Conn c = it.next();
          if (c.closed() || !c.handshaking()) {
            it.remove();
          } else if (now - c.handshakeDeadline > 0) {
            it.remove();
            late.add(c);
          }
        }
        byPeer
            .values()
            .removeIf(
                l -> {
                  l.removeIf(Conn::closed);
                  return l.isEmpty();
                });
      }
      for (Iterator<Conn> it = byRemote.values().iterator(); it.hasNext(); ) {
        Conn c = it.next();
        long d = c.requestDeadline;
        if (c.closed()) {
          it.remove();
        } else if (d != 0 && now - d > 0) {
          late.add(c);
        }
      }
      for (Conn c : late) {
        expired.incrementAndGet();
        c.kill();
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "connection sweep failed: " + e.getClass().getName());
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
