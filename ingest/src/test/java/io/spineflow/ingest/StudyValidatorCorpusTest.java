package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spineflow.imaging.metaimage.MetaImageLimits;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of the bad-input corpus is refused by the validator every door shares, with its reason
 * code, the field at fault and the limit it broke; no case gets past it or escapes as an unexpected
 * exception ({@code UNREADABLE_IMAGE}).
 */
class StudyValidatorCorpusTest {
  private final StudyValidator validator =
      new StudyValidator(
          new MetaImageLimits(64 * 1024, 64L << 20, MalformedStudies.MAX_DECODED_BYTES), 1e-3);

  static Stream<MalformedStudies.Case> corpus() {
    return MalformedStudies.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void everyCaseIsRefusedWithItsReason(MalformedStudies.Case bad) {
    IngestRejection rejection =
        catchThrowableOfType(
            () -> validator.validate(bad.image(), bad.mask()), IngestRejection.class);
    assertThat(rejection).as("%s must be refused", bad.name()).isNotNull();
    Rejection r = rejection.rejection();
    assertThat(r.reasonCode()).isEqualTo(bad.reason());
    assertThat(r.message()).isNotBlank();
    assertThat(r.field()).as("the field at fault").isNotBlank();
    assertThat(r.limit()).as("the limit broken").isNotBlank();
  }
}
