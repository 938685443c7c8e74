package io.spineflow.platform.blob;

/** The stored bytes do not hash to the reference they were read by. */
public final class BlobCorruptException extends BlobStoreException {
  private static final long serialVersionUID = 1L;

  public BlobCorruptException(BlobRef ref, String actualSha256, String store) {
    super("blob " + ref + " in " + store + " reads as sha256:" + actualSha256);
  }
}
