package io.spineflow.imaging.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.spineflow.imaging.dicom.DicomImage;
import io.spineflow.imaging.dicom.DicomInstanceSink;
import io.spineflow.imaging.dicom.DicomReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A running {@link StoreScp} on a loopback port with a sink and a listener that record what they
 * get, for the SCP's tests.
 */
final class ScpFixture implements AutoCloseable {
  static final String AE = "SPINEFLOW";

  final List<DicomInstanceSink.ReceivedInstance> received = new ArrayList<>();
  final List<ScpEvent> events = new ArrayList<>();
  final List<String> batchesEnded = new ArrayList<>();
  final StoreScp scp;

  ScpFixture(StoreScpConfig config) throws IOException {
    this(config, instance -> DicomInstanceSink.Outcome.accepted());
  }

  /** {@code answer} decides each outcome; every instance is recorded first. */
  ScpFixture(
      StoreScpConfig config,
      Function<DicomInstanceSink.ReceivedInstance, DicomInstanceSink.Outcome> answer)
      throws IOException {
    DicomInstanceSink sink =
        new DicomInstanceSink() {
          @Override
          public Outcome store(ReceivedInstance instance) {
            synchronized (received) {
              received.add(instance);
            }
            return answer.apply(instance);
          }

          @Override
          public void batchEnded(ReceivedInstance.Door door, String sender) {
            synchronized (batchesEnded) {
              batchesEnded.add(sender);
            }
          }
        };
    scp =
        new StoreScp(
            config,
            sink,
            event -> {
              synchronized (events) {
                events.add(event);
              }
            });
    scp.start();
  }

  int port() {
    return scp.port();
  }

  List<DicomInstanceSink.ReceivedInstance> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  List<ScpEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  boolean hasEvent(ScpEvent.Kind kind, String reasonCode) {
    return events().stream()
        .anyMatch(e -> e.kind() == kind && java.util.Objects.equals(e.reasonCode(), reasonCode));
  }

  @Override
  public void close() {
    scp.close();
  }

  /** A vendored file of {@code io/spineflow/imaging/dicom/files} (see ATTRIBUTION.md there). */
  static byte[] vendored(String name) {
    try (InputStream in =
        ScpFixture.class.getResourceAsStream("/io/spineflow/imaging/dicom/files/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no vendored file " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Both read by {@link DicomReader} to the same pixel description and frame values. */
  static void assertSamePixels(byte[] original, byte[] received) throws IOException {
    DicomReader reader = new DicomReader();
    DicomImage expected = reader.read(original);
    DicomImage actual = reader.read(received);
    assertThat(actual.pixels()).isEqualTo(expected.pixels());
    assertThat(actual.frames()).hasSameSizeAs(expected.frames());
    for (int i = 0; i < expected.frames().size(); i++) {
      assertThat(actual.frames().get(i).values())
          .as("frame %d", i)
          .isEqualTo(expected.frames().get(i).values());
    }
  }
}
