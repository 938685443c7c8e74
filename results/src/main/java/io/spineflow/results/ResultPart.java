package io.spineflow.results;

import io.spineflow.events.InlineVoxels;
import io.spineflow.events.Mask;
import io.spineflow.events.Quality;
import io.spineflow.events.Slice;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.events.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One input of a study's result, as it travels the by-study repartition topic and sits in the
 * stores: the event reduced to what the result needs. A study keeps its header (geometry, revision,
 * DICOM source) but never its voxels; a slice keeps its geometry but never its pixels or label.
 *
 * <p>Encoding: one kind byte, then the event in Avro's single-object encoding. Internal topics and
 * stores are read by the same build that wrote them (a newer build reads what an older one left
 * only as far as Avro's schema resolution with the schemas it knows allows; see README).
 */
sealed interface ResultPart {

  /** The study the part belongs to (the repartition key). */
  String studyUid();

  /** The revision it belongs to, {@code Study.receivedAt}; null for a quality record. */
  Long studyReceivedAt();

  /** The event, reduced. */
  SpecificRecordBase event();

  /** The study's header: its geometry and revision, no voxels. */
  record Header(Study study) implements ResultPart {
    /** Field by field: a builder copied from the study would deep-copy its voxels first. */
    static Header of(Study study) {
      Volume image = study.getImage();
      Volume geometry =
          Volume.newBuilder()
              .setSize(image.getSize())
              .setSpacing(image.getSpacing())
              .setOrigin(image.getOrigin())
              .setDirection(image.getDirection())
              .setElementType(image.getElementType())
              .setAnatomicalOrientation(image.getAnatomicalOrientation())
              .setVoxels(InlineVoxels.newBuilder().setData(ByteBuffer.allocate(0)).build())
              .build();
      return new Header(
          Study.newBuilder()
              .setStudyUid(study.getStudyUid())
              .setSequence(study.getSequence())
              .setSource(study.getSource())
              .setSourceName(study.getSourceName())
              .setContentSha256(study.getContentSha256())
              .setReceivedAt(study.getReceivedAt())
              .setImage(geometry)
              .setDicomSource(study.getDicomSource())
              .build());
    }

    @Override
    public String studyUid() {
      return study.getStudyUid();
    }

    @Override
    public Long studyReceivedAt() {
      return study.getReceivedAt().toEpochMilli();
    }

    @Override
    public SpecificRecordBase event() {
      return study;
    }
  }

  /** One emitted slice's geometry, no pixels. */
  record SliceGeometry(Slice slice) implements ResultPart {
    static SliceGeometry of(Slice slice) {
      return new SliceGeometry(
          Slice.newBuilder(slice)
              .setPixels(ByteBuffer.allocate(0))
              .setLabel(null)
              .setLabelScope(null)
              .build());
    }

    @Override
    public String studyUid() {
      return slice.getStudyUid();
    }

    @Override
    public Long studyReceivedAt() {
      return slice.getStudyReceivedAt().toEpochMilli();
    }

    @Override
    public SpecificRecordBase event() {
      return slice;
    }
  }

  /** Which slices preprocess emitted: each must have a mask. */
  record Summary(SliceSummary summary) implements ResultPart {
    @Override
    public String studyUid() {
      return summary.getStudyUid();
    }

    @Override
    public Long studyReceivedAt() {
      return summary.getStudyReceivedAt().toEpochMilli();
    }

    @Override
    public SpecificRecordBase event() {
      return summary;
    }
  }

  /** One slice's predicted classes. */
  record MaskPart(Mask mask) implements ResultPart {
    @Override
    public String studyUid() {
      return mask.getStudyUid();
    }

    @Override
    public Long studyReceivedAt() {
      return mask.getStudyReceivedAt().toEpochMilli();
    }

    @Override
    public SpecificRecordBase event() {
      return mask;
    }
  }

  /**
   * One slice's quality record. It names no revision: it is matched to its mask by slice, model
   * version and {@code producedAt} (inference stamps both with one instant, in one transaction).
   */
  record QualityPart(Quality quality) implements ResultPart {
    @Override
    public String studyUid() {
      return quality.getStudyUid();
    }

    @Override
    public Long studyReceivedAt() {
      return null;
    }

    @Override
    public SpecificRecordBase event() {
      return quality;
    }
  }

  /** The serde of the repartition topic and the stores. */
  static Serde<ResultPart> serde() {
    Serializer<ResultPart> serializer = (topic, part) -> part == null ? null : encode(part);
    Deserializer<ResultPart> deserializer = (topic, bytes) -> bytes == null ? null : decode(bytes);
    return Serdes.serdeFrom(serializer, deserializer);
  }

  static byte[] encode(ResultPart part) {
    try {
      ByteBuffer body =
          part.event().getClass() == Study.class
              ? ((Study) part.event()).toByteBuffer()
              : part.event() instanceof Slice s
                  ? s.toByteBuffer()
                  : part.event() instanceof SliceSummary p
                      ? p.toByteBuffer()
                      : part.event() instanceof Mask m
                          ? m.toByteBuffer()
                          : ((Quality) part.event()).toByteBuffer();
      byte[] out = new byte[1 + body.remaining()];
      out[0] = kind(part);
      body.get(out, 1, out.length - 1);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte kind(ResultPart part) {
    if (part instanceof Header) {
      return 'H';
    } else if (part instanceof SliceGeometry) {
      return 'S';
    } else if (part instanceof Summary) {
      return 'P';
    } else if (part instanceof MaskPart) {
      return 'M';
    }
    return 'Q';
  }

  static ResultPart decode(byte[] bytes) {
    ByteBuffer body = ByteBuffer.wrap(bytes, 1, bytes.length - 1).slice();
    try {
      return switch (bytes[0]) {
        case 'H' -> new Header(Study.fromByteBuffer(body));
        case 'S' -> new SliceGeometry(Slice.fromByteBuffer(body));
        case 'P' -> new Summary(SliceSummary.fromByteBuffer(body));
        case 'M' -> new MaskPart(Mask.fromByteBuffer(body));
        case 'Q' -> new QualityPart(Quality.fromByteBuffer(body));
        default -> throw new IllegalArgumentException("unknown result part kind " + bytes[0]);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
