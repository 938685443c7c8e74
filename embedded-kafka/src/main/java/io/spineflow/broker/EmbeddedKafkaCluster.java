package io.spineflow.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster of several KRaft nodes (each broker and controller in one) inside this JVM,
 * for tests of what one machine cannot show: replication, a node lost mid-stream, leaders moving.
 * Topics are created with replication factor {@link #replicationFactor()} (the cluster's {@code
 * default.replication.factor}), and a write with {@code acks=all} needs {@code min.insync.replicas}
 * ({@link #minInsyncReplicas()}, one less) of them: with three nodes, one may be lost at any time
 * and every acknowledged record is still on two.
 *
 * <p>{@link #kill(int)} stops a node the way a crash looks to the others: without controlled
 * shutdown, so the cluster learns of it only when the node's heartbeats stop ({@code
 * broker.session.timeout.ms}, {@value #SESSION_TIMEOUT_MS} ms here), and then moves its leaders and
 * shrinks the in-sync replica sets; its controller leaves the quorum, which keeps a majority. What
 * an in-process node cannot do is lose its page cache: its log is flushed as the JVM goes on, so
 * the kill tests failover, not the recovery of a torn log (a broker restarted after a real crash
 * truncates to the leader's, which replication already covers).
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {
  /** How long the controller waits for a silent node's heartbeat before fencing it. */
  static final int SESSION_TIMEOUT_MS = 6_000;

  private final Path dir;
  private final List<EmbeddedKafkaBroker> nodes;
  private final List<Integer> clientPorts;
  private final List<Integer> controllerPorts;
  private final EmbeddedKafkaBroker.Quorum[] quorums;
  private final Map<String, String> overrides;

  private EmbeddedKafkaCluster(
      Path dir,
      List<EmbeddedKafkaBroker> nodes,
      List<Integer> clientPorts,
      List<Integer> controllerPorts,
      EmbeddedKafkaBroker.Quorum[] quorums,
      Map<String, String> overrides) {
    this.dir = dir;
    this.nodes = nodes;
    this.clientPorts = clientPorts;
    this.controllerPorts = controllerPorts;
    this.quorums = quorums;
    this.overrides = overrides;
  }

  /** Three nodes on a fresh temporary directory. */
  public static EmbeddedKafkaCluster startTemporary() {
    try {
      return start(Files.createTempDirectory("spineflow-kafka-cluster-"), 3, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Formats {@code dir/node-N} for each node if new and starts them all at once (a node returns
   * only once a majority of the quorum runs).
   *
   * @param size nodes, at least 3 (fewer could not lose one and keep {@code min.insync.replicas} 2)
   * @param overrides extra broker settings for every node; may be empty
   */
  public static EmbeddedKafkaCluster start(Path dir, int size, Map<String, String> overrides) {
    if (size < 3) {
      throw new IllegalArgumentException("a cluster has at least 3 nodes, got " + size);
    }
    // Free now, and distinct: the kernel may hand a port just released out again.
    Set<Integer> ports = new LinkedHashSet<>();
    while (ports.size() < 2 * size) {
      ports.add(EmbeddedKafkaBroker.freePort());
    }
    List<Integer> all = new ArrayList<>(ports);
    List<Integer> clientPorts = all.subList(0, size);
    List<Integer> controllerPorts = all.subList(size, 2 * size);
    String voters =
        IntStream.range(0, size)
            .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
            .collect(Collectors.joining(","));
    String clusterId = Uuid.randomUuid().toString();
    EmbeddedKafkaBroker.Quorum[] quorums = new EmbeddedKafkaBroker.Quorum[size];
    for (int i = 0; i < size; i++) {
      quorums[i] = new EmbeddedKafkaBroker.Quorum(i + 1, voters, size, clusterId);
    }
    Map<String, String> settings = clusterSettings(size);
    settings.putAll(overrides);
    EmbeddedKafkaCluster cluster =
        new EmbeddedKafkaCluster(
            dir,
            new ArrayList<>(Collections.nCopies(size, null)),
            clientPorts,
            controllerPorts,
            quorums,
            Map.copyOf(settings));
    cluster.startNodes(IntStream.range(0, size).boxed().toList());
    return cluster;
  }

  /** What makes the nodes a cluster that survives one node's loss without losing a record. */
  static Map<String, String> clusterSettings(int size) {
    Map<String, String> p = new HashMap<>();
    p.put("default.replication.factor", Integer.toString(size));
    p.put("min.insync.replicas", Integer.toString(size - 1));
    // Every topic's partitions are led by its preferred replica again once a node is back, so a
    // test sees the same spread of leaders before a kill and after a restart.
    p.put("auto.leader.rebalance.enable", "true");
    // A kill is a crash to the others (see the class comment); and closing the whole cluster need
    // not move leaders to nodes that are about to stop too.
    p.put("controlled.shutdown.enable", "false");
    p.put("broker.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS));
    p.put("broker.heartbeat.interval.ms", "1000");
    // A replica that stopped fetching leaves the ISR within this (Kafka's default: 30 s).
    p.put("replica.lag.time.max.ms", "10000");
    return p;
  }

  private void startNodes(List<Integer> indexes) {
    ExecutorService pool = Executors.newFixedThreadPool(indexes.size());
    try {
      List<Future<EmbeddedKafkaBroker>> started = new ArrayList<>();
      for (int i : indexes) {
        started.add(
            pool.submit(
                () ->
                    EmbeddedKafkaBroker.startNode(
                        dir.resolve("node-" + (i + 1)),
                        clientPorts.get(i),
                        controllerPorts.get(i),
                        quorums[i],
                        overrides,
                        Map.of())));
      }
      for (int n = 0; n < indexes.size(); n++) {
        nodes.set(indexes.get(n), started.get(n).get());
      }
    } catch (ExecutionException e) {
      close();
      throw new IllegalStateException("a Kafka node did not start: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while starting the Kafka cluster", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every node's client address, for {@code bootstrap.servers} (running or not). */
  public String bootstrapServers() {
    return clientPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  /** Nodes in the cluster, running or killed. */
  public int size() {
    return nodes.size();
  }

  /** Replicas of every topic created with the broker's default. */
  public int replicationFactor() {
    return size();
  }

  /** Replicas an {@code acks=all} write needs in sync. */
  public int minInsyncReplicas() {
    return size() - 1;
  }

  /** The {@code node.id} of the node at {@code index} (0-based): {@code index + 1}. */
  public int nodeId(int index) {
    return quorums[index].nodeId();
  }

  /** Whether the node with {@code nodeId} runs (was not killed, or was restarted). */
  public boolean isRunning(int nodeId) {
    return nodes.get(index(nodeId)) != null;
  }

  /**
   * Stops the node with {@code nodeId} as a crash looks to the rest of the cluster (no controlled
   * shutdown; see the class comment) and waits until it has. Its directory stays for {@link
   * #restart}.
   */
  public void kill(int nodeId) {
    int i = index(nodeId);
    EmbeddedKafkaBroker node = nodes.get(i);
    if (node == null) {
      throw new IllegalStateException("node " + nodeId + " is not running");
    }
    nodes.set(i, null);
    node.close();
  }

  /** Starts a killed node again on its directory and ports; it catches up from the others. */
  public void restart(int nodeId) {
    int i = index(nodeId);
    if (nodes.get(i) != null) {
      throw new IllegalStateException("node " + nodeId + " is running");
    }
    startNodes(List.of(i));
  }

  /**
   * The running node that leads the most partitions of {@code topics} now: the one whose loss moves
   * the most leaders.
   */
  public int busiestLeader(Collection<String> topics) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      Map<Integer, Long> led =
          admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
              .flatMap(d -> d.partitions().stream())
              .filter(p -> p.leader() != null)
              .collect(Collectors.groupingBy(p -> p.leader().id(), Collectors.counting()));
      return led.entrySet().stream()
          .max(Map.Entry.comparingByValue())
          .orElseThrow(
              () -> new IllegalStateException("no partition of " + topics + " has a leader"))
          .getKey();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe " + topics + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing " + topics, e);
    }
  }

  private int index(int nodeId) {
    if (nodeId < 1 || nodeId > nodes.size()) {
      throw new IllegalArgumentException(
          "no node " + nodeId + " (node ids are 1.." + nodes.size() + ")");
    }
    return nodeId - 1;
  }

  /** Stops every running node (all at once: a node alone would wait for a quorum); dirs stay. */
  @Override
  public void close() {
    List<Thread> stopping = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      EmbeddedKafkaBroker node = nodes.get(i);
      if (node != null) {
        nodes.set(i, null);
        Thread t = new Thread(node::close, "kafka-node-" + (i + 1) + "-stop");
        t.start();
        stopping.add(t);
      }
    }
    for (Thread t : stopping) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
