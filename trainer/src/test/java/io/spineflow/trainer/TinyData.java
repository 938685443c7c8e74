package io.spineflow.trainer;

import io.spineflow.events.RetrainRequest;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.imaging.Sequence;
import io.spineflow.model.DjlEngine;
import io.spineflow.model.LabelledSlice;
import io.spineflow.model.UNetConfig;
import io.spineflow.model.training.SliceRef;
import io.spineflow.model.training.StudySplit;
import io.spineflow.model.training.TrainingSet;
import io.spineflow.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A tiny model and phantom data sets for fast training tests. */
final class TinyData {
  /** 64x64 slices, base width 8, 3 downsamplings: ~0.1 s a step of 8 on one core. */
  static final UNetConfig TINY =
      UNetConfig.profile("cpu").withWidths(8, 3, 64).withInputSize(64, 64);

  /**
   * One intra-op thread: the machine is shared with other builds, and PyTorch's thread pool slows
   * down badly when its threads compete for busy cores.
   */
  static final int THREADS = 1;

  private static final Sequence[] SEQUENCES = {Sequence.T1, Sequence.T2, Sequence.T2_SPACE};

  private TinyData() {}

  static void startEngine() {
    DjlEngine.ensureStarted(THREADS);
  }

  /** The {@code count} study UIDs {@code prefix-0..} that fall on one side of {@code split}. */
  static List<String> uids(String prefix, StudySplit split, boolean validation, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < count; i++) {
      String uid = prefix + "-" + i;
      if (split.isValidation(uid) == validation) {
        out.add(uid);
      }
    }
    return out;
  }

  /** The kept 64x64 slices of one phantom study per UID (seeded from the UID's position). */
  static List<PhantomSlices.Example> examples(List<String> uids) {
    List<PhantomSlices.Example> out = new ArrayList<>();
    for (int i = 0; i < uids.size(); i++) {
      String uid = uids.get(i);
      long seed = 1000 + Math.abs(uid.hashCode() % 100_000);
      out.addAll(PhantomSlices.study(uid, seed, SEQUENCES[i % SEQUENCES.length], 64, 64));
    }
    return out;
  }

  static TrainingSet set(List<PhantomSlices.Example> examples) {
    List<SliceRef> refs = new ArrayList<>();
    List<LabelledSlice> slices = new ArrayList<>();
    for (PhantomSlices.Example e : examples) {
      refs.add(e.ref());
      slices.add(e.slice());
    }
    return TrainingSet.inMemory(refs, slices);
  }

  /** Settings of a trainer of the {@link #TINY} model on CPU, on a test's topics and directory. */
  static Map<String, String> settings(String bootstrap, Topics topics, java.nio.file.Path dataDir) {
    Map<String, String> values = new HashMap<>();
    values.put("bootstrap.servers", bootstrap);
    values.put("topic.prefix", topics.prefix());
    values.put("data.dir", dataDir.toString());
    values.put("trainer.base.width", "8");
    values.put("trainer.depth", "3");
    values.put("trainer.slice.width", "64");
    values.put("trainer.slice.height", "64");
    values.put("trainer.threads", String.valueOf(THREADS));
    values.put("trainer.device", "cpu");
    return values;
  }

  /** A producer writing slices, summaries and retrain requests, each with its topic's serde. */
  static KafkaProducer<String, Object> producer(String bootstrap, Topics topics) {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    Serializer<Slice> slices = topics.slices().valueSerde().serializer();
    Serializer<SliceSummary> summaries = topics.slicesSummary().valueSerde().serializer();
    Serializer<RetrainRequest> requests = topics.retrain().valueSerde().serializer();
    Serializer<Object> values =
        (topic, data) -> {
          if (data instanceof Slice s) {
            return slices.serialize(topic, s);
          }
          if (data instanceof SliceSummary s) {
            return summaries.serialize(topic, s);
          }
          return requests.serialize(topic, (RetrainRequest) data);
        };
    return new KafkaProducer<>(props, new StringSerializer(), values);
  }
}
