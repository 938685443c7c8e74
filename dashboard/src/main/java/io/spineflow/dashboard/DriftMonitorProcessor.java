package io.spineflow.dashboard;

import io.spineflow.events.Quality;
import io.spineflow.events.RetrainOrigin;
import io.spineflow.events.RetrainRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies the {@link DriftRules} to every quality event (keyed by model name, one partition, in the
 * same task as {@link ModelRegistryProcessor} so it sees the live model): keeps each model
 * version's reference and window of label-free signals, its rolling Dice, and raises each alert
 * kind at most once per version. A new alert on the live version forwards one {@link
 * RetrainRequest} (origin DRIFT_ALERT, request id {@code drift-<model>-v<version>-<kind>}), written
 * in the same transaction as the alert, so neither a restart nor a replay can repeat it.
 */
final class DriftMonitorProcessor implements Processor<String, Quality, String, RetrainRequest> {
  /** Versions per model whose observations are kept; older ones are pruned. */
  static final int VERSIONS_KEPT = 3;

  /** Alerts kept in the store. */
  static final int ALERTS_KEPT = 200;

  /** Who drift-alert retrain requests say they come from. */
  static final String REQUESTED_BY = "dashboard drift monitor";

  private final DriftRules rules;
  private ProcessorContext<String, RetrainRequest> context;
  private KeyValueStore<String, ModelView> live;
  private KeyValueStore<String, double[]> observations;
  private KeyValueStore<String, DriftState> status;
  private KeyValueStore<String, DriftAlert> alerts;

  DriftMonitorProcessor(DriftRules rules) {
    this.rules = rules;
  }

  @Override
  public void init(ProcessorContext<String, RetrainRequest> context) {
    this.context = context;
    live = context.getStateStore(DashboardStores.MODELS_LIVE);
    observations = context.getStateStore(DashboardStores.DRIFT_OBSERVATIONS);
    status = context.getStateStore(DashboardStores.DRIFT_STATUS);
    alerts = context.getStateStore(DashboardStores.DRIFT_ALERTS);
  }

  static String observationKey(String versionKey, long seq) {
    return versionKey + "|" + String.format("%012d", seq);
  }

  @Override
  public void process(Record<String, Quality> record) {
    Quality quality = record.value();
    if (quality == null) {
      return;
    }
    long at = record.timestamp();
    String model = quality.getModelName();
    int version = quality.getModelVersion();
    String versionKey = DriftState.key(model, version);
    DriftState state = status.get(versionKey);
    if (state == null) {
      state = DriftState.start(model, version, rules.diceWindow());
      pruneOlderVersions(model, version);
    }

    // Label-free signals: the reference is the version's first N slices; then a sliding window.
    long seq = state.observations();
    observations.put(observationKey(versionKey, seq), QualitySignals.observation(quality));
    long leaving = seq - rules.windowSize();
    if (leaving >= rules.referenceSize()) {
      observations.delete(observationKey(versionKey, leaving));
    }
    QualitySample sample = QualitySample.of(quality);
    state = state.observe(sample.dice(), sample.labelled(), rules.diceWindow(), at);

    ModelView liveModel = live.get(model);
    boolean isLive = liveModel == null || liveModel.version() == version;
    Map<String, Double> baselines =
        liveModel != null && liveModel.version() == version
            ? liveModel.validationMetrics()
            : Map.of();
    List<ClassDice> dice = DriftEvaluator.dice(rules, state, baselines);
    state = state.withDice(dice);

    long seen = state.observations();
    if (rules.labelFreeDueAt(seen)) {
      double[][] reference = read(versionKey, 0, rules.referenceSize() - 1);
      double[][] window = read(versionKey, rules.windowStart(seen), seen - 1);
      state = state.withLabelFree(DriftEvaluator.labelFree(rules, reference, window, at, seen));
    }
    status.put(versionKey, state);

    boolean diceFiring = dice.stream().anyMatch(ClassDice::firing);
    update(
        AlertKind.DICE_BELOW_BASELINE,
        state,
        diceFiring,
        isLive,
        diceFiring ? DriftEvaluator.diceMessage(dice, rules) : "",
        at);
    LabelFreeEvaluation labelFree = state.labelFree();
    boolean shifted = labelFree != null && labelFree.firing();
    update(
        AlertKind.LABEL_FREE_SHIFT,
        state,
        shifted,
        isLive,
        shifted ? DriftEvaluator.labelFreeMessage(labelFree, version) : "",
        at);
  }

  /** The {@link DashboardStores#DRIFT_ALERTS} key. */
  static String alertKey(String model, int version, AlertKind kind) {
    return DriftState.key(model, version) + "|" + kind.name();
  }

  /** The id of the retrain request an alert publishes; the trainer honours each id once. */
  static String requestId(String model, int version, AlertKind kind) {
    return "drift-" + model + "-v" + version + "-" + kind.tag();
  }

  private void update(
      AlertKind kind, DriftState state, boolean firing, boolean isLive, String message, long at) {
    String key = alertKey(state.modelName(), state.modelVersion(), kind);
    DriftAlert existing = alerts.get(key);
    if (existing != null) {
      if (existing.active() != firing) {
        alerts.put(key, existing.withActive(firing, at));
      }
      return;
    }
    if (!firing || !isLive) {
      return;
    }
    String requestId = null;
    if (rules.retrainOnAlert()) {
      requestId = requestId(state.modelName(), state.modelVersion(), kind);
      RetrainRequest request =
          RetrainRequest.newBuilder()
              .setRequestId(requestId)
              .setModelName(state.modelName())
              .setRequestedBy(REQUESTED_BY)
              .setOrigin(RetrainOrigin.DRIFT_ALERT)
              .setReason(message)
              .setRequestedAt(Instant.ofEpochMilli(at))
              .build();
      context.forward(new Record<>(state.modelName(), request, at));
    }
    alerts.put(
        key,
        new DriftAlert(
            key, kind, state.modelName(), state.modelVersion(), at, message, true, at, requestId));
    CappedStore.trim(alerts, ALERTS_KEPT);
  }

  private double[][] read(String versionKey, long from, long to) {
    List<double[]> rows = new ArrayList<>();
    try (KeyValueIterator<String, double[]> it =
        observations.range(observationKey(versionKey, from), observationKey(versionKey, to))) {
      while (it.hasNext()) {
        rows.add(it.next().value);
      }
    }
    return rows.toArray(new double[0][]);
  }

  /** Keeps the observations and state of the newest {@value #VERSIONS_KEPT} versions only. */
  private void pruneOlderVersions(String model, int newVersion) {
    List<String> versionKeys = new ArrayList<>();
    try (KeyValueIterator<String, DriftState> it = status.range(model + "|", model + "|~")) {
      while (it.hasNext()) {
        KeyValue<String, DriftState> next = it.next();
        if (next.value.modelName().equals(model)) {
          versionKeys.add(next.key);
        }
      }
    }
    versionKeys.add(DriftState.key(model, newVersion));
    versionKeys.sort(null);
    for (int i = 0; i < versionKeys.size() - VERSIONS_KEPT; i++) {
      String old = versionKeys.get(i);
      List<String> doomed = new ArrayList<>();
      try (KeyValueIterator<String, double[]> it = observations.range(old + "|", old + "|~")) {
        while (it.hasNext()) {
          doomed.add(it.next().key);
        }
      }
      doomed.forEach(observations::delete);
      status.delete(old);
    }
  }
}
