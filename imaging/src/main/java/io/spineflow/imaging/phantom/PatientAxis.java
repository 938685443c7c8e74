package io.spineflow.imaging.phantom;

/**
 * The three patient axes of the LPS frame MetaImage uses: physical x grows towards the patient's
 * left, y towards posterior, z towards superior. A sagittal slice is a plane of constant x.
 */
public enum PatientAxis {
  /** Physical x; the slice-thickness axis of a sagittal series. */
  LEFT_RIGHT(0, 'L', 'R'),
  /** Physical y. */
  ANTERIOR_POSTERIOR(1, 'P', 'A'),
  /** Physical z, along the spine. */
  INFERIOR_SUPERIOR(2, 'S', 'I');

  private final int lpsIndex;
  private final char positiveLetter;
  private final char negativeLetter;

  PatientAxis(int lpsIndex, char positiveLetter, char negativeLetter) {
    this.lpsIndex = lpsIndex;
    this.positiveLetter = positiveLetter;
    this.negativeLetter = negativeLetter;
  }

  /** 0, 1 or 2: the physical coordinate (x, y, z) this axis is. */
  public int lpsIndex() {
    return lpsIndex;
  }

  /** The letter of the direction in which the LPS coordinate grows: L, P or S. */
  public char positiveLetter() {
    return positiveLetter;
  }

  /** The letter of the opposite direction: R, A or I. */
  public char negativeLetter() {
    return negativeLetter;
  }

  /** The axis named by an orientation letter (L, R, P, A, S or I, any case). */
  static PatientAxis ofLetter(char letter) {
    char c = Character.toUpperCase(letter);
    for (PatientAxis axis : values()) {
      if (axis.positiveLetter == c || axis.negativeLetter == c) {
        return axis;
      }
    }
    throw new IllegalArgumentException("not an orientation letter: " + letter);
  }
}
