package io.spineflow.schemas;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.Topology;

/**
 * A topic with its name, its key and value serdes and how it is created: the one place a service
 * learns how to talk to a topic.
 */
public record Topic<K, V>(
    String name, Serde<K> keySerde, Serde<V> valueSerde, TopicSettings settings) {

  /** Adds a sink named {@code sinkName} that writes to this topic with its serdes. */
  public void addSink(Topology topology, String sinkName, String... parents) {
    topology.addSink(sinkName, name, keySerde.serializer(), valueSerde.serializer(), parents);
  }
}
