package io.spineflow.dashboard;

import io.spineflow.events.ModelAnnouncement;
import io.spineflow.events.TrainingProgress;

/**
 * An event of a model's life, from {@code models} (an announcement, or a tombstone: null) or from
 * {@code training}; exactly one field is set, unless the announcement is a tombstone.
 */
record ModelEvent(ModelAnnouncement announcement, TrainingProgress training, boolean tombstone) {

  static ModelEvent announced(ModelAnnouncement announcement) {
    return new ModelEvent(announcement, null, announcement == null);
  }

  static ModelEvent training(TrainingProgress progress) {
    return new ModelEvent(null, progress, false);
  }
}
