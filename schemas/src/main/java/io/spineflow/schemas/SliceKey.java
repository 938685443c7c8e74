package io.spineflow.schemas;

/**
 * The key of a slice, mask or quality record: {@code studyUid/sliceIndex}. Study UIDs never contain
 * '/', so the last '/' separates the two.
 */
public record SliceKey(String studyUid, int sliceIndex) {

  public SliceKey {
    if (studyUid == null || studyUid.isEmpty() || studyUid.indexOf('/') >= 0) {
      throw new IllegalArgumentException("study UID must be non-empty and contain no '/'");
    }
    if (sliceIndex < 0) {
      throw new IllegalArgumentException("slice index must be >= 0, got " + sliceIndex);
    }
  }

  public static SliceKey parse(String key) {
    int slash = key.lastIndexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("slice key must be studyUid/sliceIndex, got " + key);
    }
    return new SliceKey(key.substring(0, slash), Integer.parseInt(key.substring(slash + 1)));
  }

  @Override
  public String toString() {
    return studyUid + "/" + sliceIndex;
  }
}
