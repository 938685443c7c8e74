package io.spineflow.imaging.metaimage;

import io.spineflow.imaging.Image;
import java.util.Objects;

/**
 * A MetaImage as read from a file or a message: its parsed header and its decoded image (whose
 * geometry is {@code header.geometry()} and whose voxels are little-endian whatever the file's byte
 * order).
 */
public record MetaImage(MetaImageHeader header, Image image) {
  public MetaImage {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(image, "image");
  }
}
