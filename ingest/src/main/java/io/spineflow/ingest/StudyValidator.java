package io.spineflow.ingest;

import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.metaimage.MetaImage;
import io.spineflow.imaging.metaimage.MetaImageException;
import io.spineflow.imaging.metaimage.MetaImageLimits;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.metaimage.ReasonCode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one validation every door shares: decodes the whole image (and mask) from {@code .mha} bytes
 * with the MetaImage codec, and checks the mask lies on the image's grid. Pure and thread-safe.
 */
public final class StudyValidator {
  private static final Logger LOG = LoggerFactory.getLogger(StudyValidator.class);

  private final MetaImageReader reader;
  private final double geometryTolerance;

  public StudyValidator(MetaImageLimits limits, double geometryTolerance) {
    this.reader = new MetaImageReader(Objects.requireNonNull(limits, "limits"));
    this.geometryTolerance = geometryTolerance;
  }

  public MetaImageReader reader() {
    return reader;
  }

  /**
   * Validates one study.
   *
   * @param image the image's {@code .mha} bytes (inline data)
   * @param mask the mask's {@code .mha} bytes, or null when the study has none
   * @throws IngestRejection naming the reason, field, limit and part
   */
  public ValidatedStudy validate(byte[] image, byte[] mask) throws IngestRejection {
    return validate(image, mask, ContentHash.of(image, mask));
  }

  /** As {@link #validate(byte[], byte[])}, with the {@link ContentHash} already computed. */
  ValidatedStudy validate(byte[] image, byte[] mask, String contentSha256) throws IngestRejection {
    MetaImage decodedImage = decode(image, UploadPart.IMAGE);
    checkFinite(decodedImage);
    MetaImage decodedMask = mask == null ? null : decode(mask, UploadPart.MASK);
    if (decodedMask != null) {
      checkMask(decodedImage, decodedMask);
    }
    return new ValidatedStudy(decodedImage, decodedMask, contentSha256);
  }

  private MetaImage decode(byte[] bytes, UploadPart part) throws IngestRejection {
    if (bytes.length == 0) {
      throw new IngestRejection(
          Rejection.of(
                  IngestReason.EMPTY_UPLOAD,
                  "value",
                  "a MetaImage (.mha) file",
                  "the " + part.wireName() + " has no bytes")
              .forPart(part));
    }
    try {
      return reader.read(bytes);
    } catch (MetaImageException e) {
      throw new IngestRejection(rejectionOf(e, part, reader.limits()));
    } catch (RuntimeException e) {
      // A codec bug must not stop ingest: the input is dead-lettered (and kept) for a look. The
      // exception's message may quote the header, so only its type and place are logged.
      LOG.warn(
          "MetaImage reader failed unexpectedly on a {} upload: {} at {}",
          part.wireName(),
          e.getClass().getName(),
          e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "unknown");
      throw new IngestRejection(
          Rejection.of(
                  IngestReason.UNREADABLE_IMAGE,
                  null,
                  null,
                  part.wireName() + ": the reader failed with " + e.getClass().getSimpleName())
              .forPart(part));
    }
  }

  /** Floating-point images must hold finite numbers only (integer types always do). */
  private static void checkFinite(MetaImage image) throws IngestRejection {
    if (!image.image().type().floatingPoint()) {
      return;
    }
    ByteBuffer voxels = image.image().buffer();
    int step = image.image().type().bytes();
    long nonFinite = 0;
    long first = -1;
    for (int offset = 0; offset < voxels.limit(); offset += step) {
      double v = step == 4 ? voxels.getFloat(offset) : voxels.getDouble(offset);
      if (!Double.isFinite(v)) {
        nonFinite++;
        if (first < 0) {
          first = offset / step;
        }
      }
    }
    if (nonFinite > 0) {
      throw new IngestRejection(
          Rejection.of(
                  IngestReason.NON_FINITE_VOXELS,
                  "ElementDataFile",
                  "finite voxel values (no NaN or infinity)",
                  "image: "
                      + nonFinite
                      + " of "
                      + image.image().voxelCount()
                      + " voxels are NaN or infinite (the first at voxel "
                      + first
                      + ")")
              .forPart(UploadPart.IMAGE));
    }
  }

  private void checkMask(MetaImage image, MetaImage mask) throws IngestRejection {
    if (mask.image().type().floatingPoint()) {
      throw new IngestRejection(
          Rejection.of(
                  IngestReason.INVALID_MASK_TYPE,
                  "ElementType",
                  "an integer MET_* type",
                  "mask: "
                      + mask.image().type().metaName()
                      + " is floating point; label masks hold integer labels")
              .forPart(UploadPart.MASK));
    }
    ImageGeometry a = image.image().geometry();
    ImageGeometry b = mask.image().geometry();
    String field = null;
    String limit = null;
    if (a.dimensions() != b.dimensions()) {
      field = "NDims";
      limit = "equal to the image's " + a.dimensions();
    } else if (!Arrays.equals(a.size(), b.size())) {
      field = "DimSize";
      limit = "equal to the image's " + Arrays.toString(a.size());
    } else if (!close(a.spacing(), b.spacing())) {
      field = "ElementSpacing";
      limit = "within " + geometryTolerance + " of the image's " + Arrays.toString(a.spacing());
    } else if (!close(a.origin(), b.origin())) {
      field = "Offset";
      limit = "within " + geometryTolerance + " of the image's " + Arrays.toString(a.origin());
    } else if (!close(a.direction(), b.direction())) {
      field = "TransformMatrix";
      limit = "within " + geometryTolerance + " of the image's direction";
    }
    if (field != null) {
      throw new IngestRejection(
          Rejection.of(
                  IngestReason.GEOMETRY_MISMATCH,
                  field,
                  limit,
                  "mask: " + field + " does not match the image's grid")
              .forPart(UploadPart.MASK));
    }
  }

  private boolean close(double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      if (!(Math.abs(x[i] - y[i]) <= geometryTolerance)) {
        return false;
      }
    }
    return true;
  }

  /** A codec rejection as ingest reports it: the codec's reason code and field, and the limit. */
  static Rejection rejectionOf(MetaImageException e, UploadPart part, MetaImageLimits limits) {
    return new Rejection(
        e.reason().name(),
        e.field(),
        limitOf(e.reason(), limits),
        part.wireName() + ": " + e.getMessage(),
        part);
  }

  /** The limit or expectation a codec rejection broke, for the dead letter's {@code limit}. */
  static String limitOf(ReasonCode reason, MetaImageLimits limits) {
    return switch (reason) {
      case HEADER_TOO_LARGE -> "maxHeaderBytes " + limits.maxHeaderBytes();
      case TOO_MANY_VOXELS -> "maxVoxels " + limits.maxVoxels();
      case DECODED_DATA_TOO_LARGE -> "maxDecodedBytes " + limits.maxDecodedBytes();
      case INPUT_TOO_LARGE -> "maxInputBytes " + limits.maxInputBytes();
      case INVALID_HEADER_ENCODING -> "UTF-8 header text without control characters";
      case MALFORMED_HEADER_LINE -> "key = value lines";
      case MISSING_FIELD -> "NDims, DimSize, ElementType and ElementDataFile present";
      case DUPLICATE_FIELD -> "each key once";
      case CONFLICTING_FIELDS -> "synonyms with equal values";
      case INVALID_FIELD -> "a well-formed value in range";
      case UNSUPPORTED_DIMENSIONS -> "NDims 2 or 3";
      case UNSUPPORTED_ELEMENT_TYPE -> "a scalar MET_* type";
      case MULTI_CHANNEL_UNSUPPORTED -> "ElementNumberOfChannels 1";
      case ASCII_DATA_UNSUPPORTED -> "BinaryData True";
      case UNSUPPORTED_DATA_FILE_FORM -> "one data file (no LIST or pattern)";
      case DATA_FILE_OUTSIDE_DIRECTORY -> "a data file inside the header's directory";
      case DATA_FILE_NOT_FOUND -> "an existing regular data file";
      case DATA_FILE_UNRESOLVABLE -> "ElementDataFile LOCAL (inline .mha data)";
      case TRUNCATED_DATA -> "DimSize x element size bytes of voxel data";
      case CORRUPT_COMPRESSED_DATA -> "a valid zlib stream";
      case DECOMPRESSION_BOMB -> "inflates to DimSize x element size bytes";
      default -> null;
    };
  }
}
