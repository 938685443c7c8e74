package io.spineflow.imaging.phantom;

/**
 * The tissues a phantom is made of. They decide the MR intensity (through {@link ContrastModel});
 * the segmentation label is decided separately, so one label can hold several tissues (a vertebra
 * is marrow, cortex and posterior-element bone; the canal is CSF, cord and epidural fat).
 */
enum Tissue {
  AIR(0.0),
  /** Subcutaneous and epidural fat. */
  FAT(0.03),
  /** Paraspinal muscles and psoas. */
  MUSCLE(0.05),
  /** Abdominal content in front of the spine: bowel, organs. Strongly textured. */
  VISCERA(0.14),
  /** Aorta and vena cava: flow voids, dark on both weightings. */
  VESSEL(0.02),
  /** Cancellous bone of vertebral bodies and the sacrum. */
  MARROW(0.09),
  /** The cortical rim and endplates: no signal. */
  CORTEX(0.02),
  /** Pedicles, laminae, articular and spinous processes: mostly cortical, some marrow. */
  POSTERIOR_BONE(0.08),
  /** Intervertebral disc; its nucleus fraction (hydration) comes with the sample. */
  DISC(0.03),
  /** Cerebrospinal fluid in the thecal sac. */
  CSF(0.01),
  /** Spinal cord and conus. */
  CORD(0.03),
  /** Ligaments (flavum, posterior longitudinal): dark. */
  LIGAMENT(0.02);

  private final double textureAmplitude;

  Tissue(double textureAmplitude) {
    this.textureAmplitude = textureAmplitude;
  }

  /** Relative strength of the smooth multiplicative texture within this tissue. */
  double textureAmplitude() {
    return textureAmplitude;
  }
}
