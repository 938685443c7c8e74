package io.spineflow.platform.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBlobStoreTest extends BlobStoreContract {
  @TempDir Path dir;

  @Override
  BlobStore store(long maxBytes) {
    return new FileBlobStore(dir.resolve("blobs"), maxBytes);
  }

  @Override
  void overwrite(BlobRef ref, byte[] bytes) throws IOException {
    Files.write(new FileBlobStore(dir.resolve("blobs"), 1).pathOf(ref), bytes);
  }

  @Override
  int storedEntries() throws IOException {
    Path blobs = dir.resolve("blobs");
    if (!Files.exists(blobs)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(blobs)) {
      return (int) files.count();
    }
  }

  @Test
  void aBlobIsTheFileTheClaimCheckStoreOfOldWrote() {
    byte[] bytes = random(100, 10);
    try (FileBlobStore store = new FileBlobStore(dir, 1000)) {
      BlobRef ref = store.put(bytes);

      assertThat(store.pathOf(ref)).isEqualTo(dir.resolve(ref.sha256() + ".bin"));
      assertThat(store.pathOf(ref)).hasBinaryContent(bytes);
    }
  }
}
