package io.spineflow.imaging;

import java.util.Arrays;
import java.util.Optional;

/**
 * The voxel element types of MetaImage ({@code ElementType = MET_...}), with their size in bytes as
 * ITK's MetaIO defines them (MET_LONG/MET_ULONG are 4 bytes there, MET_LONG_LONG 8).
 */
public enum ElementType {
  CHAR("MET_CHAR", 1, true, false),
  UCHAR("MET_UCHAR", 1, false, false),
  SHORT("MET_SHORT", 2, true, false),
  USHORT("MET_USHORT", 2, false, false),
  INT("MET_INT", 4, true, false),
  UINT("MET_UINT", 4, false, false),
  LONG("MET_LONG", 4, true, false),
  ULONG("MET_ULONG", 4, false, false),
  LONG_LONG("MET_LONG_LONG", 8, true, false),
  ULONG_LONG("MET_ULONG_LONG", 8, false, false),
  FLOAT("MET_FLOAT", 4, true, true),
  DOUBLE("MET_DOUBLE", 8, true, true);

  private final String metaName;
  private final int bytes;
  private final boolean signed;
  private final boolean floatingPoint;

  ElementType(String metaName, int bytes, boolean signed, boolean floatingPoint) {
    this.metaName = metaName;
    this.bytes = bytes;
    this.signed = signed;
    this.floatingPoint = floatingPoint;
  }

  /** The header spelling, e.g. {@code MET_USHORT}. */
  public String metaName() {
    return metaName;
  }

  public int bytes() {
    return bytes;
  }

  public boolean signed() {
    return signed;
  }

  public boolean floatingPoint() {
    return floatingPoint;
  }

  /**
   * Looks up a header spelling; empty when MetaImage has no such type (or spineflow does not read
   * it).
   */
  public static Optional<ElementType> fromMetaName(String name) {
    return Arrays.stream(values()).filter(t -> t.metaName.equals(name)).findFirst();
  }
}
