package io.spineflow.imaging.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spineflow.imaging.dicom.DicomFile;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.DicomTag;
import io.spineflow.imaging.dicom.net.ScpEvent.Kind;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SCP against a foreign DICOM client: Debian's {@code dcmtk} ({@code echoscu}, {@code
 * storescu}, and {@code dcmconv} to write the files in other transfer syntaxes at test time).
 * Skipped, saying why, when dcmtk is not on the PATH (CI installs it, see {@code .ci/run}).
 */
class StoreScpDcmtkIT {
  private static final String AE = ScpFixture.AE;

  @TempDir Path dir;

  @BeforeEach
  void needDcmtk() {
    assumeTrue(
        onPath("storescu") && onPath("echoscu") && onPath("dcmconv"),
        "dcmtk is not on the PATH: install it (apt-get install -y dcmtk) to run the C-STORE SCP's"
            + " checks against a foreign client");
  }

  @Test
  void echoscuSucceeds() throws Exception {
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, AE))) {
      Run run = run("echoscu", "-aet", "ECHOSCU", "-aec", AE, "127.0.0.1", port(scp));
      assertThat(run.exit()).as(run.output()).isZero();
      assertThat(scp.hasEvent(Kind.ECHO, null)).isTrue();
      assertThat(scp.events())
          .anyMatch(e -> e.kind() == Kind.ASSOCIATION_RELEASED && "ECHOSCU".equals(e.callingAe()));
    }
  }

  /**
   * storescu sends a vendored file, proposing the transfer syntaxes an option names (first the one
   * it prefers, which the SCP takes); the sink's Part 10 file is in that syntax and reads to the
   * pixels of the original.
   */
  @ParameterizedTest(name = "{0} with storescu {1}")
  @CsvSource({
    "sag_t1_0001.dcm, -xe, 1.2.840.10008.1.2.1",
    "sag_t1_0001.dcm, -xi, 1.2.840.10008.1.2",
    "MR_small_bigendian.dcm, -xb, 1.2.840.10008.1.2.2",
    "MR_small_implicit.dcm, -xe, 1.2.840.10008.1.2.1",
    "MR_small_jpll_sv1.dcm, -xs, 1.2.840.10008.1.2.4.70",
    "MR_small_RLE.dcm, -xr, 1.2.840.10008.1.2.5",
    "enhanced_mr_6_1.dcm, -xe, 1.2.840.10008.1.2.1"
  })
  void storescuSendsAVendoredFile(String name, String proposal, String expectedSyntax)
      throws Exception {
    Path file = Files.write(dir.resolve(name), ScpFixture.vendored(name));
    sendAndCompare(file, proposal, expectedSyntax);
  }

  /** Files dcmconv writes now from a real MR slice, in each uncompressed syntax and deflated. */
  @ParameterizedTest(name = "dcmconv {0}, storescu {1}")
  @CsvSource({
    "+ti, -xi, 1.2.840.10008.1.2",
    "+te, -xe, 1.2.840.10008.1.2.1",
    "+tb, -xb, 1.2.840.10008.1.2.2",
    "+td, -xd, 1.2.840.10008.1.2.1.99"
  })
  void storescuSendsAFileDcmconvWrote(String dcmconvOption, String proposal, String expectedSyntax)
      throws Exception {
    Path source =
        Files.write(dir.resolve("sag_t1_0002.dcm"), ScpFixture.vendored("sag_t1_0002.dcm"));
    Path converted = dir.resolve("converted.dcm");
    Run conversion = run("dcmconv", dcmconvOption, source.toString(), converted.toString());
    assertThat(conversion.exit()).as(conversion.output()).isZero();
    assertThat(new DicomReader().readFile(Files.readAllBytes(converted)).transferSyntax().uid())
        .isEqualTo(expectedSyntax);
    sendAndCompare(converted, proposal, expectedSyntax);
  }

  private void sendAndCompare(Path file, String proposal, String expectedSyntax) throws Exception {
    byte[] original = Files.readAllBytes(file);
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, AE))) {
      Run run =
          run(
              "storescu",
              "-aet",
              "MRI_3T",
              "-aec",
              AE,
              proposal,
              "127.0.0.1",
              port(scp),
              file.toString());
      assertThat(run.exit()).as(run.output()).isZero();
      assertThat(scp.received()).as(run.output()).hasSize(1);
      byte[] part10 = scp.received().get(0).part10();
      DicomFile received = new DicomReader().readFile(part10);
      assertThat(received.transferSyntax().uid()).isEqualTo(expectedSyntax);
      DicomFile sent = new DicomReader().readFile(original);
      assertThat(received.meta().string(DicomTag.MEDIA_STORAGE_SOP_INSTANCE_UID))
          .isEqualTo(sent.dataset().string(DicomTag.SOP_INSTANCE_UID));
      assertThat(received.meta().string(DicomTag.MEDIA_STORAGE_SOP_CLASS_UID))
          .isEqualTo(sent.dataset().string(DicomTag.SOP_CLASS_UID));
      assertThat(scp.received().get(0).sender()).isEqualTo("MRI_3T");
      ScpFixture.assertSamePixels(original, part10);
      assertThat(scp.hasEvent(Kind.INSTANCE_STORED, null)).isTrue();
    }
  }

  @Test
  void storescuSendsASeriesOnOneAssociation() throws Exception {
    List<String> args =
        new ArrayList<>(List.of("storescu", "-aet", "MRI_3T", "-aec", AE, "127.0.0.1"));
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, AE))) {
      args.add(port(scp));
      for (String name : List.of("sag_t1_0001.dcm", "sag_t1_0002.dcm", "MR_small.dcm")) {
        args.add(Files.write(dir.resolve(name), ScpFixture.vendored(name)).toString());
      }
      Run run = run(args.toArray(new String[0]));
      assertThat(run.exit()).as(run.output()).isZero();
      assertThat(scp.received()).hasSize(3);
      assertThat(scp.events().stream().filter(e -> e.kind() == Kind.ASSOCIATION_ACCEPTED))
          .hasSize(1);
      assertThat(scp.batchesEnded).containsExactly("MRI_3T");
    }
  }

  @Test
  void aWrongCalledAeTitleIsRejected() throws Exception {
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, AE))) {
      Run run = run("echoscu", "-aet", "ECHOSCU", "-aec", "ORTHANC", "127.0.0.1", port(scp));
      assertThat(run.exit()).as(run.output()).isNotZero();
      assertThat(run.output()).containsIgnoringCase("Called AE Title Not Recognized");
      assertThat(scp.hasEvent(Kind.ASSOCIATION_REJECTED, "CALLED_AE_NOT_RECOGNIZED")).isTrue();
    }
  }

  @Test
  void aCallingAeTitleNotOnTheAllowListIsRejected() throws Exception {
    StoreScpConfig config = StoreScpConfig.loopback(0, AE).withCallingAeTitles(Set.of("MRI_3T"));
    try (ScpFixture scp = new ScpFixture(config)) {
      Run rejected = run("echoscu", "-aet", "LAPTOP", "-aec", AE, "127.0.0.1", port(scp));
      assertThat(rejected.exit()).as(rejected.output()).isNotZero();
      assertThat(rejected.output()).containsIgnoringCase("Calling AE Title Not Recognized");
      Run allowed = run("echoscu", "-aet", "MRI_3T", "-aec", AE, "127.0.0.1", port(scp));
      assertThat(allowed.exit()).as(allowed.output()).isZero();
    }
  }

  @Test
  void anUnsupportedSopClassHasItsContextRejected() throws Exception {
    Path ct = Files.write(dir.resolve("CT_small.dcm"), ScpFixture.vendored("CT_small.dcm"));
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, AE))) {
      Run run =
          run("storescu", "-aet", "MRI_3T", "-aec", AE, "127.0.0.1", port(scp), ct.toString());
      assertThat(run.output()).containsIgnoringCase("no presentation context");
      assertThat(scp.received()).isEmpty();
    }
  }

  @Test
  void aGarbagePduIsAbortedAndTheNextAssociationServed() throws Exception {
    try (ScpFixture scp = new ScpFixture(StoreScpConfig.loopback(0, AE));
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), scp.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("\u0016\u0003\u0001 not a PDU at all".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertThat(socket.getInputStream().readAllBytes())
          .as("A-ABORT, then the SCP closes")
          .startsWith(0x07, 0x00);
      Run run = run("echoscu", "-aet", "ECHOSCU", "-aec", AE, "127.0.0.1", port(scp));
      assertThat(run.exit()).as(run.output()).isZero();
      assertThat(scp.hasEvent(Kind.ASSOCIATION_ABORTED, "UNRECOGNIZED_PDU")).isTrue();
    }
  }

  private static String port(ScpFixture scp) {
    return Integer.toString(scp.port());
  }

  record Run(int exit, String output) {}

  private Run run(String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "dcmtk", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
    }
    return new Run(process.exitValue(), String.join(" ", command) + "\n" + Files.readString(log));
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String entry : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, program))) {
        return true;
      }
    }
    return false;
  }
}
