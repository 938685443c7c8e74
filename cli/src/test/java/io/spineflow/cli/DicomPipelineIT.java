package io.spineflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spineflow.broker.EmbeddedKafkaBroker;
import io.spineflow.events.DicomReportOutput;
import io.spineflow.events.DicomSegmentationOutput;
import io.spineflow.events.Segmentation;
import io.spineflow.events.SliceSummary;
import io.spineflow.events.Study;
import io.spineflow.events.StudySource;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.ImageGeometry;
import io.spineflow.imaging.dicom.DicomLimits;
import io.spineflow.imaging.dicom.DicomReader;
import io.spineflow.imaging.dicom.SegmentationLabels;
import io.spineflow.imaging.dicom.SegmentationObject;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.model.ModelStore;
import io.spineflow.platform.KafkaClients;
import io.spineflow.platform.TopicProvisioner;
import io.spineflow.platform.blob.BlobRef;
import io.spineflow.platform.blob.FileBlobStore;
import io.spineflow.platform.volume.ClaimCheckStore;
import io.spineflow.platform.volume.VolumeMapper;
import io.spineflow.schemas.Topics;
import io.spineflow.testkit.DcmtkStorescp;
import io.spineflow.testkit.StowRsRequest;
import io.spineflow.testkit.TopicReader;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #18 end to end: real DICOM into the whole pipeline (ingest, preprocess, inference, each in
 * its own JVM from the packaged launcher, on the embedded KRaft broker). dcmtk's {@code storescu}
 * sends the 8 vendored slices of a real sagittal T1 series (dcm_qa, see imaging's {@code
 * files/ATTRIBUTION.md}) to ingest's C-STORE SCP; the JDK's HTTP client sends a second series by
 * STOW-RS: copies of the same files given a new Series Instance UID and new SOP Instance UIDs by
 * dcmtk's {@code dcmodify} at test time. Then, read_committed: exactly one {@code studies} event
 * per series (keyed by its Series Instance UID), no dead letter, every slice preprocess lists in
 * its summary exactly one mask ({@link PipelineRun#awaitExactlyOnce}).
 *
 * <p>The references are never this project's DICOM reader: each event's size, spacing, origin and
 * direction are compared with what dcmtk's {@code dcmdump} prints of the files (Rows, Columns,
 * Pixel Spacing, Image Position and Orientation (Patient); slices ordered along the normal, the
 * cross product of the orientation's row and column), and its voxels, every one, with the raw Pixel
 * Data {@code dcmdump +W} writes out. The per-slice sums of those raw values are also checked
 * against the pydicom/numpy scan recorded in imaging's {@code SeriesAssemblerTest} ({@link
 * #SAG_SUMS}), so dcmtk's output is itself checked by a third tool.
 */
class DicomPipelineIT {
  private static final Path FILES =
      Path.of("../imaging/src/test/resources/io/spineflow/imaging/dicom/files");
  private static final int SLICES = 8;

  /** The starter model's input: its masks label real anatomy, so the results have segments. */
  private static final int SLICE_SIZE = 128;

  private static final String TOKEN = "dicom-pipeline-ingest-token";
  private static final String STOW_SERIES = "1.2.826.0.1.3680043.8.498.18180018";
  private static final Duration BOUND = Duration.ofMinutes(3);

  /**
   * Pixel sums of sag_t1_0001 … 0008 by a numpy scan of the raw elements (agreeing with pydicom),
   * copied from imaging's {@code SeriesAssemblerTest}.
   */
  private static final long[] SAG_SUMS = {
    471485, 1303753, 4464652, 8180166, 10196365, 12388169, 13712648, 15357524
  };

  @TempDir Path dir;

  private EmbeddedKafkaBroker broker;
  private DcmtkStorescp pacs;
  private final List<ServiceProcess> services = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    services.forEach(ServiceProcess::close);
    if (pacs != null) {
      pacs.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aSeriesByStorescuAndOneByStowRsEachBecomeOneStudyWhoseSlicesGetMasks() throws Exception {
    assumeTrue(
        onPath("storescu") && onPath("dcmodify") && onPath("dcmdump"),
        "dcmtk (storescu, dcmodify, dcmdump) is not on the PATH: apt-get install -y dcmtk");
    List<Path> scuFiles = copies(dir.resolve("scu"));
    List<Path> stowFiles = copies(dir.resolve("stow"));
    for (Path file : stowFiles) {
      run("dcmodify", "-nb", "-gin", "-m", "(0020,000e)=" + STOW_SERIES, file.toString());
    }
    Reference reference = Reference.of(scuFiles, dir.resolve("raw"));
    String scuSeries = reference.seriesUid();
    assertThat(Reference.of(stowFiles, dir.resolve("raw-stow")).seriesUid()).isEqualTo(STOW_SERIES);

    broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, Map.of());
    String bootstrap = broker.bootstrapServers();
    Topics topics = new Topics("", 3);
    KafkaClients clients = new KafkaClients(bootstrap, Map.of());
    try (Admin admin = Admin.create(clients.admin())) {
      new TopicProvisioner(admin, (short) 1).ensure(topics.all());
    }
    int dicomPort = PackagedLauncher.freePort();
    // The hospital's archive the results go back to: dcmtk's storescp.
    pacs = DcmtkStorescp.start(DcmtkStorescp.freePort(), dir.resolve("pacs"));
    ServiceProcess ingest = startServices(bootstrap, dicomPort, pacs.port());
    DemoModel.install(
        StarterModel.extractTo(dir.resolve("starter")),
        new ModelStore(dir.resolve("models")),
        PipelineRun.MODEL,
        clients,
        topics);

    List<String> scu =
        new ArrayList<>(List.of("storescu", "-aec", "SPINEFLOW", "127.0.0.1", "" + dicomPort));
    scuFiles.forEach(f -> scu.add(f.toString()));
    run(scu.toArray(String[]::new));
    HttpResponse<String> stow = stow(ingest.httpPort(), stowFiles);
    // 200: every instance stored (PS3.18 answers 202 only when some failed).
    assertThat(stow.statusCode()).as(stow.body()).isEqualTo(200);
    assertThat(stow.body()).doesNotContain("\"00081198\"");

    PipelineRun.Counts counts =
        PipelineRun.awaitExactlyOnce(bootstrap, topics, Set.of(scuSeries, STOW_SERIES), BOUND);
    try (TopicReader<String, SliceSummary> summaries =
        new TopicReader<>(bootstrap, topics.slicesSummary())) {
      assertThat(summaries.readToEnd(BOUND))
          .as("each series has slices to mask")
          .allSatisfy(r -> assertThat(r.value().getEmittedSliceIndexes()).isNotEmpty());
    }

    Map<String, Study> studies = new LinkedHashMap<>();
    try (TopicReader<String, Study> reader = new TopicReader<>(bootstrap, topics.studies())) {
      for (ConsumerRecord<String, Study> r : reader.readToEnd(BOUND)) {
        studies.put(r.key(), r.value());
      }
    }
    VolumeMapper volumes = new VolumeMapper(new ClaimCheckStore(dir.resolve("claims")), 0);
    for (String series : List.of(scuSeries, STOW_SERIES)) {
      Study study = studies.get(series);
      assertThat(study.getSource()).isEqualTo(StudySource.DICOM);
      reference.assertMatches(series, volumes.toImage(study.getImage()));
    }
    System.out.printf(
        "dicom pipeline: 2 series (storescu, STOW-RS), %d slices, %d masks, each once%n",
        counts.slices(), counts.masks());
    assertResultsGoBack(bootstrap, topics, studies, List.of(scuSeries, STOW_SERIES));
  }

  /**
   * Issue #19 end to end: one {@code segmentations} event per series; its DICOM Segmentation
   * references the series and shares its study (the attributes ingest kept out of the event),
   * passes dicom3tools' {@code dciodvfy} without an error, lays the label volume's voxels back onto
   * the scan's grid exactly; its measurement report (when a level was measured) shares the study
   * and passes {@code dciodvfy} too; and delivery stores each object in dcmtk's {@code storescp}
   * once.
   */
  private void assertResultsGoBack(
      String bootstrap, Topics topics, Map<String, Study> studies, List<String> series)
      throws Exception {
    PipelineRun.awaitOneSegmentationPerStudy(bootstrap, topics, Set.copyOf(series), BOUND);
    Map<String, Segmentation> results = new LinkedHashMap<>();
    try (TopicReader<String, Segmentation> reader =
        new TopicReader<>(bootstrap, topics.segmentations())) {
      reader.readToEnd(BOUND).forEach(r -> results.put(r.key(), r.value()));
    }
    String sourceStudy = dcmdumpValue(FILES.resolve("sag_t1_0001.dcm"), "0020,000d");
    FileBlobStore blobs = new FileBlobStore(dir.resolve("claims"), 1L << 30);
    for (String uid : series) {
      Segmentation result = results.get(uid);
      DicomSegmentationOutput seg = result.getDicomSegmentation();
      assertThat(seg).as(uid + ": " + result.getDicomSegmentationSkipped()).isNotNull();
      assertThat(seg.getReferencedSeriesInstanceUid()).isEqualTo(uid);
      assertThat(seg.getStudyInstanceUid()).isEqualTo(sourceStudy);
      byte[] part10 = blobs.get(BlobRef.parse(seg.getFile().getBlob()));
      Path file = Files.write(dir.resolve(uid + "-seg.dcm"), part10);
      assertThat(dcmdumpValue(file, "0020,000d")).isEqualTo(sourceStudy);
      assertThat(dcmdumpValue(file, "0008,0018")).isEqualTo(seg.getSopInstanceUid());
      if (onPath("dciodvfy")) {
        // Its exit status counts warnings too: the errors are what must be absent.
        String report = run(false, "dciodvfy", file.toString());
        assertThat(report.lines().filter(l -> l.startsWith("Error"))).as(report).isEmpty();
      }
      Image labels =
          new MetaImageReader()
              .read(blobs.get(BlobRef.parse(result.getLabelVolume().getBlob())))
              .image();
      assertSegLaysTheLabelVolume(part10, labels, result.getSegmentedSlices());
      DicomReportOutput report = result.getMeasurementReport();
      if (report != null) {
        // The per-level measurements (TID 1500) of the same patient and study.
        Path sr =
            Files.write(
                dir.resolve(uid + "-sr.dcm"), blobs.get(BlobRef.parse(report.getFile().getBlob())));
        assertThat(dcmdumpValue(sr, "0020,000d")).isEqualTo(sourceStudy);
        if (onPath("dciodvfy")) {
          String srReport = run(false, "dciodvfy", sr.toString());
          assertThat(srReport.lines().filter(l -> l.startsWith("Error"))).as(srReport).isEmpty();
        }
      } else {
        System.out.println(
            "dicom pipeline: "
                + uid
                + ": no measurement report: "
                + result.getMeasurementReportSkipped());
      }
    }
    List<String> expected = new ArrayList<>();
    for (String uid : series) {
      expected.add(results.get(uid).getDicomSegmentation().getSopInstanceUid());
      if (results.get(uid).getMeasurementReport() != null) {
        expected.add(results.get(uid).getMeasurementReport().getSopInstanceUid());
      }
    }
    await("storescp received every Segmentation and report")
        .atMost(BOUND)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> pacs.received().size() >= expected.size());
    Set<String> delivered = new java.util.HashSet<>();
    for (Path received : pacs.received()) {
      delivered.add(dcmdumpValue(received, "0008,0018"));
    }
    assertThat(pacs.received()).hasSize(expected.size());
    assertThat(delivered).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** The SEG read back by our reader onto the label volume's grid: the same value everywhere. */
  private static void assertSegLaysTheLabelVolume(
      byte[] part10, Image labels, List<Integer> segmentedSlices) throws Exception {
    SegmentationObject seg =
        SegmentationObject.read(new DicomReader().readFile(part10), DicomLimits.DEFAULT);
    Image fromSeg = SegmentationLabels.onGrid(seg, labels.geometry(), 0.05).label();
    int[] size = labels.geometry().size();
    long perSlice = (long) size[0] * size[1];
    long labelled = 0;
    for (int k = 0; k < size[2]; k++) {
      boolean segmented = segmentedSlices.contains(k);
      for (long i = k * perSlice; i < (k + 1) * perSlice; i++) {
        int value = (int) labels.voxel(i);
        int expected = segmented ? value : 0;
        assertThat((int) fromSeg.voxel(i)).as("voxel %d of slice %d", i, k).isEqualTo(expected);
        labelled += segmented && value != 0 ? 1 : 0;
      }
      if (!segmented) {
        assertThat(labels.voxel(k * perSlice)).as("slice %d not segmented", k).isEqualTo(65535);
      }
    }
    assertThat(labelled).as("labelled voxels on the segmented slices").isPositive();
  }

  /** One attribute's value as dcmtk's dcmdump prints it, brackets and padding removed. */
  private static String dcmdumpValue(Path file, String tag) throws Exception {
    String out = run("dcmdump", "+P", tag, file.toString()).trim();
    Matcher m = Pattern.compile("\\[([^\\]]*)\\]").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return m.group(1).trim();
  }

  private List<Path> copies(Path into) throws IOException {
    Files.createDirectories(into);
    List<Path> out = new ArrayList<>();
    for (int n = 1; n <= SLICES; n++) {
      String name = "sag_t1_000" + n + ".dcm";
      out.add(Files.copy(FILES.resolve(name), into.resolve(name)));
    }
    return out;
  }

  private ServiceProcess startServices(String bootstrap, int dicomPort, int pacsPort)
      throws Exception {
    Path claims = dir.resolve("claims");
    String size = Integer.toString(SLICE_SIZE);
    Map<String, List<String>> own = new LinkedHashMap<>();
    own.put(
        "ingest",
        List.of(
            "--ingest-token=" + TOKEN,
            "--ingest-claims-dir=" + claims,
            "--ingest-watch-dir=",
            "--ingest-dicom-port=" + dicomPort,
            // A series is assembled once no instance came for this long: short, for the test.
            "--ingest-dicom-series-quiet=3s"));
    own.put(
        "preprocess",
        List.of(
            "--preprocess-claim-check-dir=" + claims,
            "--preprocess-slice-width=" + size,
            "--preprocess-slice-height=" + size));
    own.put(
        "inference", List.of("--model-store=" + dir.resolve("models"), "--inference-threads=1"));
    own.put("results", List.of("--results-output-dir=" + claims));
    own.put(
        "delivery",
        List.of(
            "--delivery-blob-dir=" + claims,
            "--delivery-dicom-host=127.0.0.1",
            "--delivery-dicom-port=" + pacsPort,
            "--delivery-dicom-called-ae=" + DcmtkStorescp.AE));
    for (Map.Entry<String, List<String>> service : own.entrySet()) {
      List<String> args = new ArrayList<>();
      args.add("--bootstrap-servers=" + bootstrap);
      args.add("--startup-timeout=60s");
      args.add("--data-dir=" + dir.resolve("state").resolve(service.getKey()));
      args.addAll(service.getValue());
      services.add(
          ServiceProcess.start(
              PackagedLauncher.classpath(),
              service.getKey(),
              PackagedLauncher.freePort(),
              List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
              args,
              dir.resolve("logs").resolve(service.getKey() + ".log")));
    }
    services.forEach(s -> PipelineRun.awaitHealthy(s, BOUND));
    return services.get(0);
  }

  /** STOW-RS: one multipart/related request with every file, the bearer token, as a PACS would. */
  private static HttpResponse<String> stow(int port, List<Path> files) throws Exception {
    List<byte[]> instances = new ArrayList<>();
    for (Path file : files) {
      instances.add(Files.readAllBytes(file));
    }
    URI endpoint = URI.create("http://127.0.0.1:" + port + "/dicomweb/studies");
    return HttpClient.newHttpClient()
        .send(StowRsRequest.of(endpoint, TOKEN, instances), HttpResponse.BodyHandlers.ofString());
  }

  /** One slice as dcmtk's dcmdump prints it, with its raw Pixel Data (dcmdump +W). */
  private record DumpedSlice(
      int instance,
      String seriesUid,
      int rows,
      int columns,
      double[] position,
      double[] orientation,
      double[] pixelSpacing,
      int[] pixels) {}

  /** The expected volume of the series, from dcmdump alone (both series share their geometry). */
  private record Reference(List<DumpedSlice> slices) {
    static Reference of(List<Path> files, Path rawDir) throws Exception {
      Files.createDirectories(rawDir);
      List<DumpedSlice> slices = new ArrayList<>();
      for (Path file : files) {
        slices.add(dump(file, rawDir));
      }
      double[] normal = normal(slices.get(0).orientation());
      slices.sort(Comparator.comparingDouble(s -> dot(normal, s.position())));
      return new Reference(slices);
    }

    String seriesUid() {
      return slices.get(0).seriesUid();
    }

    void assertMatches(String series, Image image) {
      DumpedSlice first = slices.get(0);
      double[] normal = normal(first.orientation());
      ImageGeometry g = image.geometry();
      assertThat(g.size()).as(series).containsExactly(first.columns(), first.rows(), SLICES);
      double gap = dot(normal, slices.get(SLICES - 1).position()) - dot(normal, first.position());
      // Within 1e-4: Avro decodes array<double> at float precision (AVRO-4108).
      assertThat(g.spacing())
          .as(series)
          .containsExactly(
              new double[] {first.pixelSpacing()[1], first.pixelSpacing()[0], gap / (SLICES - 1)},
              within(1e-4));
      assertThat(g.origin()).as(series).containsExactly(first.position(), within(1e-4));
      double[] o = first.orientation();
      assertThat(g.direction())
          .as(series)
          .containsExactly(
              new double[] {o[0], o[3], normal[0], o[1], o[4], normal[1], o[2], o[5], normal[2]},
              within(1e-6));
      int plane = first.rows() * first.columns();
      for (int z = 0; z < SLICES; z++) {
        DumpedSlice slice = slices.get(z);
        long sum = Arrays.stream(slice.pixels()).asLongStream().sum();
        assertThat(sum)
            .as("dcmdump's pixels of instance %d against the numpy scan", slice.instance())
            .isEqualTo(SAG_SUMS[slice.instance() - 1]);
        for (int i = 0; i < plane; i++) {
          if (image.voxel((long) z * plane + i) != slice.pixels()[i]) {
            throw new AssertionError(
                series + ": slice " + z + " voxel " + i + " differs from dcmdump's Pixel Data");
          }
        }
      }
    }

    private static DumpedSlice dump(Path file, Path rawDir) throws Exception {
      String out =
          run(
              "dcmdump",
              "+W",
              rawDir.toString(),
              "+P",
              "0020,000e",
              "+P",
              "0020,0013",
              "+P",
              "0028,0010",
              "+P",
              "0028,0011",
              "+P",
              "0020,0032",
              "+P",
              "0020,0037",
              "+P",
              "0028,0030",
              "+P",
              "0028,0100",
              "+P",
              "0028,0103",
              "+P",
              "7fe0,0010",
              file.toString());
      assertThat(value(out, "0028,0100")).as("Bits Allocated").isEqualTo("16");
      assertThat(value(out, "0028,0103")).as("Pixel Representation").isEqualTo("0");
      Matcher raw = Pattern.compile("\\(7fe0,0010\\) OW =(\\S+)").matcher(out);
      assertThat(raw.find()).as(out).isTrue();
      ByteBuffer bytes =
          ByteBuffer.wrap(Files.readAllBytes(Path.of(raw.group(1)))).order(ByteOrder.nativeOrder());
      int[] pixels = new int[bytes.remaining() / 2];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = Short.toUnsignedInt(bytes.getShort());
      }
      return new DumpedSlice(
          Integer.parseInt(value(out, "0020,0013")),
          value(out, "0020,000e"),
          Integer.parseInt(value(out, "0028,0010")),
          Integer.parseInt(value(out, "0028,0011")),
          numbers(value(out, "0020,0032")),
          numbers(value(out, "0020,0037")),
          numbers(value(out, "0028,0030")),
          pixels);
    }

    /** The value dcmdump prints for a tag: in brackets for strings, bare for binary numbers. */
    private static String value(String dump, String tag) {
      Matcher m =
          Pattern.compile("\\(" + tag + "\\) \\w\\w (?:\\[([^\\]]*)\\]|(\\S+))").matcher(dump);
      assertThat(m.find()).as("%s in %s", tag, dump).isTrue();
      return (m.group(1) != null ? m.group(1) : m.group(2)).trim();
    }

    private static double[] numbers(String backslashed) {
      return Arrays.stream(backslashed.split("\\\\")).mapToDouble(Double::parseDouble).toArray();
    }

    private static double[] normal(double[] o) {
      double[] n = {
        o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]
      };
      double length = Math.sqrt(dot(n, n));
      return new double[] {n[0] / length, n[1] / length, n[2] / length};
    }

    private static double dot(double[] a, double[] b) {
      return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }
  }

  /** Runs a dcmtk tool (bounded), failing with its output; returns that output. */
  private static String run(String... command) throws Exception {
    return run(true, command);
  }

  /** Runs a tool (bounded); returns its output, failing on a non-zero exit if {@code checked}. */
  private static String run(boolean checked, String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command[0] + " did not finish");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (checked) {
      assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), text).isZero();
    }
    return text;
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null
        && Arrays.stream(path.split(File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }
}
