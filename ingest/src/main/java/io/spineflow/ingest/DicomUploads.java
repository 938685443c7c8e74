package io.spineflow.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The {@value UploadHeaders#FORMAT} header of a {@code studies.upload} record. */
final class DicomUploads {
  private DicomUploads() {}

  /**
   * True for a DICOM instance record.
   *
   * @throws IngestRejection {@code INVALID_HEADER} for a format other than metaimage or dicom
   */
  static boolean isDicom(Headers headers) throws IngestRejection {
    Header last = headers.lastHeader(UploadHeaders.FORMAT);
    if (last == null || last.value() == null || last.value().length == 0) {
      return false;
    }
    String format =
        new String(last.value(), StandardCharsets.UTF_8).trim().toLowerCase(Locale.ROOT);
    return switch (format) {
      case UploadHeaders.FORMAT_DICOM -> true;
      case UploadHeaders.FORMAT_METAIMAGE, "" -> false;
      default ->
          throw new IngestRejection(
              IngestReason.INVALID_HEADER,
              UploadHeaders.FORMAT,
              UploadHeaders.FORMAT_METAIMAGE + " or " + UploadHeaders.FORMAT_DICOM,
              UploadHeaders.FORMAT
                  + " is neither "
                  + UploadHeaders.FORMAT_METAIMAGE
                  + " nor "
                  + UploadHeaders.FORMAT_DICOM);
    };
  }
}
