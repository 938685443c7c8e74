package io.spineflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spineflow.events.Sequence;
import io.spineflow.imaging.Image;
import io.spineflow.imaging.metaimage.MetaImageReader;
import io.spineflow.imaging.metaimage.MetaImageWriter;
import io.spineflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `./spineflow push` sends: the wire contract, checked record by record. */
class StudyPusherTest {
  @TempDir Path dir;

  private final Topics topics = new Topics("p.", 1);
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

  /**
   * A folder of DICOM files (nested, no extension on one) is sent as storescu +sd +r would; a
   * Segmentation goes under the series it labels.
   */
  @Test
  void aDicomFolderIsOneRecordPerInstanceKeyedBySeries() throws Exception {
    Path series = Files.createDirectories(dir.resolve("export/SE1"));
    Files.write(series.resolve("IM0001"), VendoredDicom.bytes("sag_t1_0001.dcm"));
    Files.write(series.resolve("IM0002.dcm"), VendoredDicom.bytes("sag_t1_0002.dcm"));
    // A hospital's labels of the series: under the key of the series it references.
    Files.write(
        Files.createDirectories(dir.resolve("export/SE900")).resolve("SEG0001"),
        VendoredSeg.bytes(VendoredSeg.WITH_POSITIONS));
    Files.writeString(dir.resolve("export/README.txt"), "not DICOM");
    Files.write(dir.resolve("export/junk.dcm"), new byte[] {1, 2, 3});

    List<StudyPusher.Pushed> pushed =
        new StudyPusher(producer, topics).push(List.of(dir.resolve("export")));

    assertThat(producer.history()).hasSize(4);
    assertThat(producer.history())
        .allSatisfy(
            r -> {
              assertThat(r.topic()).isEqualTo("p.studies.upload");
              assertThat(
                      new String(
                          r.headers().lastHeader(UploadHeaders.FORMAT).value(),
                          java.nio.charset.StandardCharsets.UTF_8))
                  .isEqualTo("dicom");
            });
    assertThat(producer.history())
        .filteredOn(r -> r.key().equals(VendoredDicom.SAG_SERIES))
        .hasSize(3);
    assertThat(pushed)
        .extracting(StudyPusher.Pushed::studyUid)
        .contains(VendoredDicom.SAG_SERIES)
        .hasSize(2); // the series, and the unreadable file under its derived key
  }

  @Test
  void aSpiderLayoutMaskIsFoundUnderMasks() throws Exception {
    Image image = TestVolumes.image(1);
    Path images = Files.createDirectories(dir.resolve("images"));
    Path masks = Files.createDirectories(dir.resolve("masks"));
    MetaImageWriter.write(image, images.resolve("3_t1.mha"), MetaImageWriter.Compression.NONE);
    MetaImageWriter.write(
        TestVolumes.maskFor(image), masks.resolve("3_t1.mha"), MetaImageWriter.Compression.NONE);

    List<StudyPusher.Pushed> pushed =
        new StudyPusher(producer, topics).push(List.of(images.resolve("3_t1.mha")));

    assertThat(pushed).singleElement().satisfies(p -> assertThat(p.mask()).isNotNull());
    assertThat(producer.history()).hasSize(2);
  }

  @Test
  void anImageWithItsMaskIsTwoRecordsWithTheSameKey() throws Exception {
    Image image = TestVolumes.image(1);
    Path file = dir.resolve("7_t2_SPACE.mha");
    MetaImageWriter.write(image, file, MetaImageWriter.Compression.NONE);
    MetaImageWriter.write(
        TestVolumes.maskFor(image),
        dir.resolve("7_t2_SPACE.mask.mha"),
        MetaImageWriter.Compression.NONE);
    Path plain = dir.resolve("plain.mha");
    MetaImageWriter.write(TestVolumes.image(2), plain, MetaImageWriter.Compression.NONE);

    List<StudyPusher.Pushed> pushed =
        new StudyPusher(producer, topics)
            .push(List.of(file, dir.resolve("7_t2_SPACE.mask.mha"), plain));

    assertThat(pushed)
        .extracting(StudyPusher.Pushed::studyUid, StudyPusher.Pushed::sequence)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("7_t2_SPACE", Sequence.T2_SPACE),
            org.assertj.core.groups.Tuple.tuple("plain", Sequence.UNKNOWN));
    assertThat(pushed.get(0).contentSha256())
        .isEqualTo(
            ContentHash.of(
                Files.readAllBytes(file), Files.readAllBytes(dir.resolve("7_t2_SPACE.mask.mha"))));
    List<ProducerRecord<String, byte[]>> sent = producer.history();
    assertThat(sent).extracting(ProducerRecord::topic).containsOnly("p.studies.upload");
    assertThat(sent)
        .extracting(ProducerRecord::key)
        .containsExactly("7_t2_SPACE", "7_t2_SPACE", "plain");
    assertThat(sent.get(0).value()).isEqualTo(Files.readAllBytes(file));
    assertThat(header(sent.get(0), UploadHeaders.SEQUENCE)).isEqualTo("T2_SPACE");
    assertThat(header(sent.get(0), UploadHeaders.PART)).isEqualTo("image");
    assertThat(header(sent.get(0), UploadHeaders.EXPECT_MASK)).isEqualTo("true");
    assertThat(header(sent.get(0), UploadHeaders.SOURCE_NAME)).isEqualTo("7_t2_SPACE.mha");
    assertThat(header(sent.get(0), UploadHeaders.SOURCE)).as("an outside client").isNull();
    assertThat(header(sent.get(1), UploadHeaders.PART)).isEqualTo("mask");
    assertThat(header(sent.get(2), UploadHeaders.EXPECT_MASK)).isEqualTo("false");
    assertThat(header(sent.get(2), UploadHeaders.SEQUENCE)).isNull();
  }

  @Test
  void sidecarsAreSentAsLabelHeadersAndOptionsOverrideThemFieldByField() throws Exception {
    Image image = TestVolumes.image(5);
    Path file = dir.resolve("ivd_t2.mha");
    MetaImageWriter.write(image, file, MetaImageWriter.Compression.NONE);
    MetaImageWriter.write(
        TestVolumes.maskFor(image),
        dir.resolve("ivd_t2.mask.mha"),
        MetaImageWriter.Compression.NONE);
    Files.writeString(dir.resolve("ivd_t2.labels"), "classes: discs\nextent: labelled-span\n");
    StudyPusher pusher = new StudyPusher(producer, topics);

    pusher.push(List.of(file));
    pusher.push(List.of(file), null, "labelled-span+10mm");
    List<StudyPusher.Pushed> last = pusher.push(List.of(file), "vertebral-bodies,discs", null);

    List<ProducerRecord<String, byte[]>> sent = producer.history();
    assertThat(header(sent.get(0), UploadHeaders.LABEL_CLASSES)).isEqualTo("discs");
    assertThat(header(sent.get(0), UploadHeaders.LABEL_EXTENT)).isEqualTo("labelled-span");
    assertThat(header(sent.get(2), UploadHeaders.LABEL_CLASSES)).isEqualTo("discs");
    assertThat(header(sent.get(2), UploadHeaders.LABEL_EXTENT)).isEqualTo("labelled-span+10mm");
    assertThat(header(sent.get(4), UploadHeaders.LABEL_CLASSES))
        .isEqualTo("vertebral-bodies,discs");
    assertThat(last.get(0).labelCoverage().classesDeclaration())
        .isEqualTo("vertebral-bodies,discs");
  }

  @Test
  void aBadDeclarationOrOneWithoutMaskSendsNothing() throws Exception {
    Image image = TestVolumes.image(6);
    Path withMask = dir.resolve("m.mha");
    MetaImageWriter.write(image, withMask, MetaImageWriter.Compression.NONE);
    MetaImageWriter.write(
        TestVolumes.maskFor(image), dir.resolve("m.mask.mha"), MetaImageWriter.Compression.NONE);
    Path alone = dir.resolve("alone.mha");
    MetaImageWriter.write(image, alone, MetaImageWriter.Compression.NONE);
    StudyPusher pusher = new StudyPusher(producer, topics);

    assertThatThrownBy(() -> pusher.push(List.of(withMask), "ribs", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--label-classes")
        .hasMessageContaining("ribs");
    assertThatThrownBy(() -> pusher.push(List.of(withMask), "discs", "span"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--label-extent");
    assertThatThrownBy(() -> pusher.push(List.of(withMask, alone), "discs", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alone.mha")
        .hasMessageContaining("no mask");
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void aDetachedStudyIsSentAsAnMha() throws Exception {
    Image image = TestVolumes.image(3);
    MetaImageWriter.write(image, dir.resolve("d_t1.mhd"), MetaImageWriter.Compression.NONE);

    new StudyPusher(producer, topics).push(List.of(dir.resolve("d_t1.mhd")));

    byte[] value = producer.history().get(0).value();
    assertThat(new MetaImageReader().read(value).image().data()).isEqualTo(image.data());
  }

  @Test
  void nothingIsSentWhenAFileCannotBe() throws Exception {
    Image image = TestVolumes.image(4);
    Path good = dir.resolve("good.mha");
    MetaImageWriter.write(image, good, MetaImageWriter.Compression.NONE);
    MetaImageWriter.write(
        TestVolumes.maskFor(image), dir.resolve("lone.mask.mha"), MetaImageWriter.Compression.NONE);
    Files.writeString(dir.resolve("notes.txt"), "x");
    Files.write(dir.resolve("bad name.mha"), Files.readAllBytes(good));
    StudyPusher pusher = new StudyPusher(producer, topics);

    assertThatThrownBy(() -> pusher.push(List.of(good, dir.resolve("lone.mask.mha"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("push lone.mha");
    assertThatThrownBy(() -> pusher.push(List.of(good, dir.resolve("notes.txt"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a .mha or .mhd");
    assertThatThrownBy(() -> pusher.push(List.of(good, dir.resolve("bad name.mha"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid study UID");
    assertThat(producer.history()).isEmpty();
  }

  private static String header(ProducerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
