package io.spineflow.dashboard;

import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.TrainingPhase;
import io.spineflow.events.TrainingProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Follows {@code models} and {@code training}: the live model per name, every version's evaluation
 * (capped at {@value #VERSIONS_PER_MODEL} per model), the latest training progress per model, and a
 * capped timeline. {@code models} is compacted, so the timeline and the older versions exist only
 * here, in changelogged stores.
 */
final class ModelRegistryProcessor implements Processor<String, ModelEvent, Void, Void> {
  /** Versions kept per model in the evaluation table. */
  static final int VERSIONS_PER_MODEL = 20;

  private final int timelineMax;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, ModelView> live;
  private KeyValueStore<String, ModelView> versions;
  private KeyValueStore<String, TimelineEntry> timeline;
  private KeyValueStore<String, TrainingView> training;

  ModelRegistryProcessor(int timelineMax) {
    this.timelineMax = timelineMax;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    live = context.getStateStore(DashboardStores.MODELS_LIVE);
    versions = context.getStateStore(DashboardStores.MODEL_VERSIONS);
    timeline = context.getStateStore(DashboardStores.MODEL_TIMELINE);
    training = context.getStateStore(DashboardStores.TRAINING_LATEST);
  }

  /** The {@link DashboardStores#MODEL_VERSIONS} key: versions sort numerically within a model. */
  static String versionKey(String modelName, int version) {
    return modelName + "|" + String.format("%010d", version);
  }

  @Override
  public void process(Record<String, ModelEvent> record) {
    ModelEvent event = record.value();
    if (event == null || event.tombstone()) {
      if (record.key() != null) {
        live.delete(record.key());
      }
      return;
    }
    if (event.announcement() != null) {
      announced(event.announcement(), record.timestamp());
    } else if (event.training() != null) {
      trained(event.training(), record.timestamp());
    }
  }

  private void announced(ModelAnnouncement a, long at) {
    ModelView view = ModelView.of(a);
    live.put(a.getModelName(), view);
    versions.put(versionKey(a.getModelName(), a.getVersion()), view);
    trimVersions(a.getModelName());
    Double dice = meanDice(a.getValidationMetrics());
    String detail =
        (a.getKind().name().equals("ROLLBACK") ? "rolled back to v" : "promoted v")
            + a.getVersion()
            + (dice == null ? "" : String.format(Locale.ROOT, " · validation Dice %.3f", dice));
    addToTimeline(
        new TimelineEntry(at, a.getModelName(), a.getVersion(), a.getKind().name(), detail));
  }

  private void trained(TrainingProgress t, long at) {
    training.put(t.getModelName(), TrainingView.of(t));
    TrainingPhase phase = t.getPhase();
    if (phase == TrainingPhase.PROGRESS || phase == TrainingPhase.PROMOTED) {
      return; // progress only updates the latest state; a promotion shows as its announcement
    }
    Integer candidate = t.getCandidateVersion();
    if (candidate != null
        && (phase == TrainingPhase.EVALUATED || phase == TrainingPhase.REJECTED)) {
      String key = versionKey(t.getModelName(), candidate);
      ModelView existing = versions.get(key);
      if (existing == null || !isAnnounced(existing)) {
        versions.put(key, ModelView.candidate(t));
        trimVersions(t.getModelName());
      }
    }
    Double dice = meanDice(t.getValidationDice());
    String detail =
        switch (phase) {
          case STARTED -> "training started (run " + t.getRunId() + ")";
          case EVALUATED ->
              "candidate"
                  + (candidate == null ? "" : " v" + candidate)
                  + " evaluated"
                  + (dice == null ? "" : String.format(Locale.ROOT, " · Dice %.3f", dice));
          case REJECTED -> "candidate" + (candidate == null ? "" : " v" + candidate) + " rejected";
          default -> "training failed";
        };
    if (!t.getMessage().isBlank()) {
      detail += ": " + DeadLetterView.cut(t.getMessage());
    }
    addToTimeline(new TimelineEntry(at, t.getModelName(), candidate, phase.name(), detail));
  }

  private static boolean isAnnounced(ModelView view) {
    return view.status().equals("PROMOTED") || view.status().equals("ROLLBACK");
  }

  private void addToTimeline(TimelineEntry entry) {
    String unique =
        context
            .recordMetadata()
            .map(m -> m.topic() + "@" + m.offset())
            .orElse(entry.modelName() + "@" + entry.kind());
    timeline.put(CappedStore.timeKey(entry.at(), unique), entry);
    CappedStore.trim(timeline, timelineMax);
  }

  private void trimVersions(String modelName) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, ModelView> it =
        versions.range(modelName + "|", modelName + "|~")) {
      while (it.hasNext()) {
        KeyValue<String, ModelView> next = it.next();
        keys.add(next.key);
      }
    }
    for (int i = 0; i < keys.size() - VERSIONS_PER_MODEL; i++) {
      versions.delete(keys.get(i));
    }
  }

  /** The mean of the {@code dice.*} entries, or null when there are none. */
  static Double meanDice(Map<String, Double> metrics) {
    if (metrics == null) {
      return null;
    }
    double sum = 0;
    int n = 0;
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      if (e.getKey().toLowerCase(Locale.ROOT).startsWith("dice") && e.getValue() != null) {
        sum += e.getValue();
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }
}
