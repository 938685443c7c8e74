package io.spineflow.imaging.dicom.net;

import io.spineflow.imaging.dicom.DicomInstanceSink;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.net.ScpEvent.Kind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;

/**
 * A C-STORE SCP (a DICOM storage receiver, PS3.4 B and PS3.7-8): accepts associations for
 * Verification and the configured storage SOP classes, answers C-ECHO, and hands every C-STORE's
 * data set, wrapped as a Part 10 file, to a {@link DicomInstanceSink}, answering with the sink's
 * status. One thread accepts; each association has its own thread. Whatever a peer sends, the worst
 * it gets is an A-ABORT: no input stops the server.
 */
public final class StoreScp implements AutoCloseable {
  /** TLS 1.3 and 1.2 only, as the HTTP servers (BCP 195, which PS3.15 B.9 points to). */
  static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private final StoreScpConfig config;
  private final DicomInstanceSink sink;
  private final StoreScpListener listener;
  private final DicomReader reader = new DicomReader();
  private final Semaphore associations;
  private final Semaphore rejections;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService workers;

  private ServerSocket server;
  private Thread acceptor;
  private volatile boolean closed;

  public StoreScp(StoreScpConfig config, DicomInstanceSink sink, StoreScpListener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.associations = new Semaphore(config.maxAssociations());
    // As many again may wait for their A-ASSOCIATE-RJ (LOCAL_LIMIT_EXCEEDED); beyond that a
    // connection is closed at once, so a flood costs at most 2 × maxAssociations threads.
    this.rejections = new Semaphore(config.maxAssociations());
    this.workers =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread t = new Thread(runnable, "dicom-scp-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Binds the port and starts accepting.
   *
   * @throws IOException when the port cannot be bound (in use, no permission below 1024)
   */
  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    ServerSocket socket =
        config.tls() == null
            ? new ServerSocket()
            : config.tls().getServerSocketFactory().createServerSocket();
    if (socket instanceof SSLServerSocket tls) {
      List<String> supported = Arrays.asList(tls.getSupportedProtocols());
      List<String> protocols = new ArrayList<>(TLS_PROTOCOLS);
      protocols.retainAll(supported);
      tls.setEnabledProtocols(protocols.toArray(new String[0]));
      tls.setNeedClientAuth(config.requireClientCertificate());
    }
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(config.bindAddress(), config.port()), 64);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    server = socket;
    acceptor = new Thread(this::acceptLoop, "dicom-scp-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The bound port (the chosen one when the configuration said 0). */
  public int port() {
    ServerSocket s = server;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return s.getLocalPort();
  }

  public StoreScpConfig config() {
    return config;
  }

  /** Whether the accept thread runs. */
  public boolean alive() {
    Thread t = acceptor;
    return t != null && t.isAlive() && !closed;
  }

  /** Associations being served now (not counting those waiting for their rejection). */
  public int activeAssociations() {
    return config.maxAssociations() - associations.availablePermits();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (SocketException e) {
        if (closed) {
          return;
        }
        backOff(e);
        continue;
      } catch (IOException | RuntimeException e) {
        backOff(e);
        continue;
      }
      dispatch(socket);
    }
  }

  /** Accept failed while open (out of file descriptors, say): tell, and do not spin. */
  private void backOff(Exception e) {
    notify(
        new ScpEvent(Kind.CONNECTION_FAILED, "-", null, null, "ACCEPT_FAILED", -1, e.toString()));
    try {
      TimeUnit.MILLISECONDS.sleep(100);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  private void dispatch(Socket socket) {
    Semaphore permits;
    boolean overLimit;
    if (associations.tryAcquire()) {
      permits = associations;
      overLimit = false;
    } else if (rejections.tryAcquire()) {
      permits = rejections;
      overLimit = true;
    } else {
      String remote = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
      close(socket);
      notify(
          new ScpEvent(
              Kind.CONNECTION_FAILED,
              remote,
              null,
              null,
              "TOO_MANY_CONNECTIONS",
              -1,
              "closed unanswered: " + (2 * config.maxAssociations()) + " connections are open"));
      return;
    }
    open.add(socket);
    Association association = new Association(config, sink, listener, reader, socket, overLimit);
    try {
      workers.execute(
          () -> {
            try {
              association.run();
            } finally {
              open.remove(socket);
              permits.release();
            }
          });
    } catch (RejectedExecutionException e) {
      open.remove(socket);
      permits.release();
      close(socket);
    }
  }

  private void notify(ScpEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      // a listener never stops the SCP
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  /**
   * Stops accepting, closes every open connection (their associations end without a release) and
   * waits up to 10 s for their threads.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      if (server != null) {
        server.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
    workers.shutdownNow();
    for (Socket socket : open) {
      close(socket);
    }
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
