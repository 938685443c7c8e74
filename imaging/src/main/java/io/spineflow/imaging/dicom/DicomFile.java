package io.spineflow.imaging.dicom;

import java.util.Objects;

/**
 * A DICOM file's data as read, before any pixel decoding.
 *
 * @param meta the file meta group (0002); empty when the file has none (a bare data set)
 * @param transferSyntax from the meta group's Transfer Syntax UID, or the one a bare data set was
 *     found to be in
 * @param dataset the data set, Pixel Data included undecoded
 */
public record DicomFile(DataSet meta, TransferSyntax transferSyntax, DataSet dataset) {
  public DicomFile {
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(transferSyntax, "transferSyntax");
    Objects.requireNonNull(dataset, "dataset");
  }
}
