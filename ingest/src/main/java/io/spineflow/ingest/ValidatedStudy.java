package io.spineflow.ingest;

import io.spineflow.imaging.metaimage.MetaImage;
import java.util.Objects;

/**
 * A study that passed every check: its decoded image, its mask (on the image's grid) and its
 * content hash.
 *
 * @param mask null when the study has no label mask
 */
public record ValidatedStudy(MetaImage image, MetaImage mask, String contentSha256) {
  public ValidatedStudy {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(contentSha256, "contentSha256");
  }
}
