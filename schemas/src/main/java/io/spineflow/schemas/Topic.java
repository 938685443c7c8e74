package io.spineflow.schemas;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with its name, its key and value serdes and how it is created: the one place a service
 * learns how to talk to a topic.
 */
public record Topic<K, V>(
    String name, Serde<K> keySerde, Serde<V> valueSerde, TopicSettings settings) {}
