package io.spineflow.inference;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.spineflow.events.ModelArchitecture;
import io.spineflow.model.Segmentation;
import io.spineflow.model.SegmentationModel;
import io.spineflow.model.SliceInput;
import java.util.ArrayList;
import java.util.List;

/** A loaded DJL model with its one predictor (used by the inference loop's thread only). */
final class DjlServedModel implements ServedModel {
  private final String name;
  private final int version;
  private final ModelArchitecture architecture;
  private final SegmentationModel model;
  private final Predictor<SliceInput, Segmentation> predictor;

  DjlServedModel(
      String name, int version, ModelArchitecture architecture, SegmentationModel model) {
    this.name = name;
    this.version = version;
    this.architecture = architecture;
    this.model = model;
    this.predictor = model.newPredictor();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int version() {
    return version;
  }

  @Override
  public ModelArchitecture architecture() {
    return architecture;
  }

  @Override
  public List<Prediction> predict(List<float[]> slices) {
    int width = architecture.getInputWidth();
    int height = architecture.getInputHeight();
    List<SliceInput> inputs = new ArrayList<>(slices.size());
    for (float[] pixels : slices) {
      inputs.add(new SliceInput(pixels, width, height));
    }
    try {
      List<Prediction> out = new ArrayList<>(slices.size());
      for (Segmentation s : predictor.batchPredict(inputs)) {
        out.add(new Prediction(s.classes(), s.probabilities()));
      }
      return out;
    } catch (TranslateException e) {
      throw new IllegalStateException("model " + name + " v" + version + " failed on a batch", e);
    }
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
