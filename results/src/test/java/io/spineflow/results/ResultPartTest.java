package io.spineflow.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.events.Study;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What travels the repartition topic and sits in the stores: never voxels or pixels. */
class ResultPartTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void aStudyHeaderKeepsItsGeometryAndRevisionButNoVoxels() {
    Study study = Fixtures.study("u", T0, "aa", true);
    byte[] encoded = ResultPart.encode(ResultPart.Header.of(study));
    int voxels = study.getImage().getSize().stream().reduce(2, (a, b) -> a * b);

    assertThat(encoded.length).isLessThan(voxels / 2);
    Study header = ((ResultPart.Header) ResultPart.decode(encoded)).study();
    assertThat(header.getImage().getSize()).isEqualTo(study.getImage().getSize());
    assertThat(header.getImage().getDirection()).isEqualTo(study.getImage().getDirection());
    assertThat(header.getContentSha256()).isEqualTo("aa");
    assertThat(header.getReceivedAt()).isEqualTo(T0);
    assertThat(header.getDicomSource()).isEqualTo(study.getDicomSource());
    assertThat(header.getLabel()).isNull();
  }

  @Test
  void aSliceKeepsItsGeometryButNoPixelsAndEveryPartRoundTrips() {
    var slice = ResultPart.SliceGeometry.of(Fixtures.slice("u", 2, T0));
    byte[] encoded = ResultPart.encode(slice);
    assertThat(encoded.length).isLessThan(4 * Fixtures.WIDTH * Fixtures.HEIGHT / 4);
    var back = ((ResultPart.SliceGeometry) ResultPart.decode(encoded)).slice();
    assertThat(back.getPixelToPhysical())
        .isEqualTo(Fixtures.slice("u", 2, T0).getPixelToPhysical());
    assertThat(back.getPixels().remaining()).isZero();

    var mask = new ResultPart.MaskPart(Fixtures.mask("u", 2, T0, 1, T0));
    assertThat(ResultPart.decode(ResultPart.encode(mask))).isEqualTo(mask);
    var quality = new ResultPart.QualityPart(Fixtures.quality("u", 2, 1, T0, 0.5));
    assertThat(ResultPart.decode(ResultPart.encode(quality))).isEqualTo(quality);
    var summary = new ResultPart.Summary(Fixtures.summary("u", T0, java.util.List.of(1)));
    assertThat(ResultPart.decode(ResultPart.encode(summary))).isEqualTo(summary);
  }
}
