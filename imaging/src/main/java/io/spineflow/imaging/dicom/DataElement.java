package io.spineflow.imaging.dicom;

import java.util.List;

/**
 * One element of a data set: a value (bytes in the data set's byte order), the items of a sequence,
 * or the fragments of encapsulated Pixel Data. Exactly one of the three is non-empty, or none for
 * an empty element. The arrays are the reader's own and never shared with the caller's input.
 *
 * @param tag group << 16 | element
 * @param vr the VR as written (explicit VR), or from {@link DicomTag} (implicit VR; {@link VR#UN}
 *     for a tag the dictionary does not know)
 * @param fragments encapsulated Pixel Data: the Basic Offset Table first (maybe empty), then the
 *     fragments in file order
 */
public record DataElement(
    int tag, VR vr, byte[] value, List<DataSet> items, List<byte[]> fragments) {
  private static final byte[] EMPTY = new byte[0];

  public DataElement {
    value = value == null ? EMPTY : value;
    items = items == null ? List.of() : List.copyOf(items);
    fragments = fragments == null ? List.of() : List.copyOf(fragments);
  }

  static DataElement ofValue(int tag, VR vr, byte[] value) {
    return new DataElement(tag, vr, value, null, null);
  }

  static DataElement ofItems(int tag, VR vr, List<DataSet> items) {
    return new DataElement(tag, vr, null, items, null);
  }

  static DataElement ofFragments(int tag, VR vr, List<byte[]> fragments) {
    return new DataElement(tag, vr, null, null, fragments);
  }

  /** Whether Pixel Data is encapsulated (fragments) rather than native (one value). */
  public boolean encapsulated() {
    return !fragments.isEmpty();
  }
}
