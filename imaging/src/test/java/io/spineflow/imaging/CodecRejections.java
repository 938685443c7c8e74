package io.spineflow.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/** What every image codec promises of a rejection; each codec's reader contract applies it. */
public final class CodecRejections {
  /**
   * Longest acceptable message: reason and message go to the dead-letter topic and into logs, so a
   * hostile file must not be able to make them as large as itself.
   */
  public static final int MAX_MESSAGE_CHARS = 512;

  private CodecRejections() {}

  /**
   * A rejection carries a reason and a short, non-blank message that names the field at fault (when
   * there is one) and, for a limit, the limit's value and its name in the codec's limits class.
   *
   * @param limitsClass e.g. {@code MetaImageLimits}
   * @param limit the limit behind the reason (its name and value), or null for none
   */
  public static void check(
      ImageCodecException e, String limitsClass, Map.Entry<String, Long> limit) {
    assertThat(e.reason()).as("reason of %s", e).isNotNull();
    assertThat(e.getMessage()).as("message of %s", e.reason()).isNotBlank();
    assertThat(e.getMessage().length())
        .as("length of the %s message", e.reason())
        .isLessThanOrEqualTo(MAX_MESSAGE_CHARS);
    if (e.field() != null) {
      assertThat(e.field()).isNotBlank().hasSizeLessThanOrEqualTo(MAX_MESSAGE_CHARS);
      assertThat(e.getMessage()).as("%s message names its field", e.reason()).contains(e.field());
    }
    if (limit != null) {
      assertThat(e.getMessage())
          .as("%s message names the limit", e.reason())
          .contains(limitsClass + "." + limit.getKey())
          .contains(Long.toString(limit.getValue()));
    }
  }
}
