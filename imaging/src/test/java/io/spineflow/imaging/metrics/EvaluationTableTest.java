package io.spineflow.imaging.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationTableTest {
  private static final double NAN = Double.NaN;

  /**
   * T1: vertebrae on two slices (Dice 0.8 and 0.9 → 0.85 ± 0.0707; ASD defined once), discs on one;
   * T2: vertebrae on one slice, plus a slice where it is absent from both (adds nothing but the
   * slice count).
   */
  private static List<Map.Entry<String, ClassMetrics>> knownSet() {
    return List.of(
        Map.entry("T1", metrics(1, 0.7, 0.8, 0.5, 0.9, 0.8, 0.8, 0.8, 1.0)),
        Map.entry("T1", metrics(1, 0.8, 0.9, NAN, 1.0, 0.9, 0.9, 0.9, NAN)),
        Map.entry("T1", metrics(3, 0.5, 0.6, 1.5, 0.7, 0.6, 0.6, 0.6, 3.0)),
        Map.entry("T2", metrics(1, 0.9, 0.95, 0.25, 1.0, 0.95, 0.95, 0.95, 0.5)),
        Map.entry("T2", absentFromBoth(1)));
  }

  @Test
  void aggregatesMeanSampleSdAndCountSkippingUndefined() {
    EvaluationTable table = table(knownSet());

    List<EvaluationTable.Row> rows = table.rows();

    assertThat(rows)
        .extracting(r -> r.sequence() + "/" + r.classId())
        .containsExactly("T1/1", "T1/3", "T2/1", "all/1", "all/3");
    EvaluationTable.Row t1Vertebrae = rows.get(0);
    assertThat(t1Vertebrae.slices()).isEqualTo(2);
    assertThat(t1Vertebrae.get(Metric.DICE).mean()).isCloseTo(0.85, within(1e-12));
    assertThat(t1Vertebrae.get(Metric.DICE).sd()).isCloseTo(Math.sqrt(0.005), within(1e-12));
    assertThat(t1Vertebrae.get(Metric.DICE).count()).isEqualTo(2);
    assertThat(t1Vertebrae.get(Metric.ASD_MM).mean()).isEqualTo(0.5);
    assertThat(t1Vertebrae.get(Metric.ASD_MM).sd()).isNaN();
    assertThat(t1Vertebrae.get(Metric.ASD_MM).count()).isEqualTo(1);
    EvaluationTable.Row t2Vertebrae = rows.get(2);
    assertThat(t2Vertebrae.slices()).isEqualTo(2);
    assertThat(t2Vertebrae.get(Metric.DICE).count()).isEqualTo(1);
    EvaluationTable.Row allVertebrae = rows.get(3);
    assertThat(allVertebrae.get(Metric.DICE).mean())
        .isCloseTo((0.8 + 0.9 + 0.95) / 3, within(1e-12));
    assertThat(table.meanIou("T1").getAsDouble()).isCloseTo((0.75 + 0.5) / 2, within(1e-12));
    assertThat(table.meanIou("T3")).isEmpty();
  }

  @Test
  void rendersMarkdownLikeThePaper() {
    String markdown = table(knownSet()).toMarkdown();

    assertThat(markdown)
        .isEqualTo(
            "| Sequence | Class | Slices | IoU ↑ | Dice ↑ | ASD (mm) ↓ | NSD (τ = 2 mm) ↑ |"
                + " Precision ↑ | Recall ↑ | F1 ↑ | HD95 (mm) ↓ |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                + "| T1 | Vertebrae | 2 | 0.7500 ± 0.0707 | 0.8500 ± 0.0707 | 0.5000 (n=1) |"
                + " 0.9500 ± 0.0707 | 0.8500 ± 0.0707 | 0.8500 ± 0.0707 | 0.8500 ± 0.0707 |"
                + " 1.0000 (n=1) |\n"
                + "| T1 | IVDs | 1 | 0.5000 | 0.6000 | 1.5000 | 0.7000 | 0.6000 | 0.6000 |"
                + " 0.6000 | 3.0000 |\n"
                + "| T2 | Vertebrae | 2 | 0.9000 (n=1) | 0.9500 (n=1) | 0.2500 (n=1) |"
                + " 1.0000 (n=1) | 0.9500 (n=1) | 0.9500 (n=1) | 0.9500 (n=1) | 0.5000 (n=1) |\n"
                + "| all | Vertebrae | 4 | 0.8000 ± 0.1000 (n=3) | 0.8833 ± 0.0764 (n=3) |"
                + " 0.3750 ± 0.1768 (n=2) | 0.9667 ± 0.0577 (n=3) | 0.8833 ± 0.0764 (n=3) |"
                + " 0.8833 ± 0.0764 (n=3) | 0.8833 ± 0.0764 (n=3) | 0.7500 ± 0.3536 (n=2) |\n"
                + "| all | IVDs | 1 | 0.5000 | 0.6000 | 1.5000 | 0.7000 | 0.6000 | 0.6000 |"
                + " 0.6000 | 3.0000 |\n"
                + "\n"
                + "| Sequence | Classes | mIoU |\n"
                + "|---|---:|---:|\n"
                + "| T1 | 2 | 0.6250 |\n"
                + "| T2 | 1 | 0.9000 |\n"
                + "| all | 2 | 0.6500 |\n"
                + "\n"
                + "Mean ± sample SD over slices. Undefined values are skipped (a class absent from"
                + " both prediction and label; ASD and HD95 when it is absent from either); (n=…)"
                + " gives their count when it differs from the slices. NSD at τ = 2 mm.\n");
  }

  @Test
  void rendersJsonWithNullForUndefined() throws Exception {
    JsonNode json = new ObjectMapper().readTree(table(knownSet()).toJson());

    assertThat(json.get("nsdToleranceMm").asDouble()).isEqualTo(2.0);
    JsonNode first = json.get("rows").get(0);
    assertThat(first.get("sequence").asText()).isEqualTo("T1");
    assertThat(first.get("classId").asInt()).isEqualTo(1);
    assertThat(first.get("className").asText()).isEqualTo("Vertebrae");
    assertThat(first.get("slices").asLong()).isEqualTo(2);
    assertThat(first.at("/metrics/dice/mean").asDouble()).isCloseTo(0.85, within(1e-12));
    assertThat(first.at("/metrics/dice/sd").asDouble()).isCloseTo(0.0707107, within(1e-6));
    assertThat(first.at("/metrics/dice/count").asLong()).isEqualTo(2);
    assertThat(first.at("/metrics/asdMm/sd").isNull()).isTrue();
    assertThat(first.get("metrics").size()).isEqualTo(Metric.values().length);
    assertThat(json.get("rows").size()).isEqualTo(5);
    assertThat(json.at("/meanIou/T1").asDouble()).isCloseTo(0.625, within(1e-12));
    assertThat(json.at("/meanIou/all").asDouble()).isCloseTo(0.65, within(1e-12));
  }

  @Test
  void outputDoesNotDependOnInsertionOrder() {
    List<Map.Entry<String, ClassMetrics>> shuffled = new ArrayList<>(knownSet());
    Collections.reverse(shuffled);

    assertThat(table(shuffled).toMarkdown()).isEqualTo(table(knownSet()).toMarkdown());
    assertThat(table(shuffled).toJson()).isEqualTo(table(knownSet()).toJson());
  }

  @Test
  void aggregatesRealSliceMetricsIncludingBackground() {
    SegmentationMetrics metrics = new SegmentationMetrics(2);
    EvaluationTable table = new EvaluationTable();
    for (int offset = 0; offset < 3; offset++) {
      Masks label = SpineSlices.spine(128, 128, 0);
      Masks predicted = SpineSlices.spine(128, 128, offset);
      table.addAll(
          "T2_SPACE",
          metrics.evaluate(
              predicted.pixels, label.pixels, 128, 128, PixelSpacing.isotropic(2), true));
    }

    assertThat(table.rows()).hasSize(4);
    assertThat(table.rows()).allSatisfy(r -> assertThat(r.slices()).isEqualTo(3));
    assertThat(table.toMarkdown()).contains("| T2_SPACE | Background | 3 |");
    assertThat(table.meanIou("T2_SPACE")).isPresent();
  }

  @Test
  void emptyTableRendersHeadersOnly() {
    EvaluationTable table = new EvaluationTable();

    assertThat(table.rows()).isEmpty();
    assertThat(table.toMarkdown()).startsWith("| Sequence | Class | Slices | IoU ↑ | Dice ↑");
    assertThat(table.toJsonTree().get("nsdToleranceMm").isNull()).isTrue();
  }

  @Test
  void rejectsMixedTolerancesAndReservedNames() {
    EvaluationTable table = new EvaluationTable();
    table.add("T1", metrics(1, 0.5, 0.5, 1, 1, 1, 1, 1, 1));
    ClassMetrics otherTau = new ClassMetrics(1, 10, 10, 5, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1.0);

    assertThatThrownBy(() -> table.add("T1", otherTau))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tolerance");
    assertThatThrownBy(() -> table.add("all", metrics(1, 0.5, 0.5, 1, 1, 1, 1, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static EvaluationTable table(List<Map.Entry<String, ClassMetrics>> entries) {
    EvaluationTable table = new EvaluationTable();
    entries.forEach(e -> table.add(e.getKey(), e.getValue()));
    return table;
  }

  private static ClassMetrics metrics(
      int classId,
      double iou,
      double dice,
      double asd,
      double nsd,
      double precision,
      double recall,
      double f1,
      double hd95) {
    return new ClassMetrics(
        classId, 100, 100, 50, dice, iou, precision, recall, f1, asd, nsd, hd95, 2.0);
  }

  private static ClassMetrics absentFromBoth(int classId) {
    return new ClassMetrics(classId, 0, 0, 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 2.0);
  }
}
