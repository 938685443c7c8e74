package io.spineflow.preprocess;

import io.spineflow.events.Sequence;
import io.spineflow.events.Study;
import io.spineflow.events.StudySource;
import io.spineflow.events.Volume;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.phantom.PhantomGenerator;
import io.spineflow.imaging.phantom.PhantomSpec;
import io.spineflow.imaging.phantom.PhantomStudy;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Study events for tests, built the way ingest builds them (through {@link VolumeMapper}). */
final class TestStudies {
  static final Instant RECEIVED = Instant.parse("2026-11-22T08:00:00Z");
  private static final PhantomGenerator GENERATOR = new PhantomGenerator();
  private static final Map<PhantomSpec, PhantomStudy> PHANTOMS = new ConcurrentHashMap<>();

  private TestStudies() {}

  /** A phantom, generated once per JVM (generation is the slow part of these tests). */
  static PhantomStudy phantom(io.spineflow.imaging.Sequence sequence, long seed, double scale) {
    return PHANTOMS.computeIfAbsent(
        PhantomSpec.of(sequence, seed).withSizeScale(scale), GENERATOR::generate);
  }

  static Study study(String uid, VolumeMapper volumes, PhantomStudy phantom, boolean labelled) {
    return study(
        uid,
        Sequence.valueOf(phantom.sequence().name()),
        volumes.toVolume(phantom.image(), null),
        labelled ? volumes.toVolume(phantom.mask(), null) : null);
  }

  static Study study(String uid, VolumeMapper volumes, Image image, Image label) {
    return study(
        uid,
        Sequence.UNKNOWN,
        volumes.toVolume(image, null),
        label == null ? null : volumes.toVolume(label, null));
  }

  static Study study(String uid, Sequence sequence, Volume image, Volume label) {
    ByteBuffer data =
        image.getVoxels() instanceof io.spineflow.events.InlineVoxels inline
            ? inline.getData()
            : ByteBuffer.wrap(uid.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] bytes = new byte[data.remaining()];
    data.duplicate().get(bytes);
    return Study.newBuilder()
        .setStudyUid(uid)
        .setSequence(sequence)
        .setSource(StudySource.TOPIC)
        .setSourceName(uid + ".mha")
        .setContentSha256(ClaimCheckStore.sha256(bytes))
        .setReceivedAt(RECEIVED)
        .setImage(image)
        .setLabel(label)
        .build();
  }
}
