package io.spineflow.inference;

import io.spineflow.events.ModelAnnouncement;
import io.spineflow.model.Devices;
import io.spineflow.model.ModelAnnouncements;
import io.spineflow.model.ModelStore;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.StoredModel;
import io.spineflow.model.UNetConfig;
import java.io.IOException;
import java.util.Map;

/** Small real models in a real store, and their announcements, for inference tests. */
final class TestModels {
  /** Small enough to run fast on two cores; a real Modified U-Net all the same. */
  static final UNetConfig TINY = UNetConfig.defaults().withWidths(4, 2, 16).withInputSize(32, 32);

  private TestModels() {}

  static StoredModel store(ModelStore store, String name, int version) throws IOException {
    try (SegmentationModel model = SegmentationModel.untrained(TINY, Devices.best(), version)) {
      return store.save(name, version, model.djlModel().getBlock(), TINY, Map.of("test", true));
    }
  }

  static ModelAnnouncement announce(StoredModel stored) {
    return ModelAnnouncements.promoted(stored);
  }
}
