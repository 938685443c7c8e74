package io.spineflow.imaging.phantom;

/**
 * What the generator knows about one level of a phantom patient, measured on the continuous anatomy
 * (no voxels) in the mid-sagittal plane, the way {@code io.spineflow.imaging.levels} defines its
 * measurements: heights perpendicular to the structure's mid-plane at the centres of the anterior,
 * middle and posterior thirds of its anteroposterior extent, and the canal's anteroposterior
 * diameter along the disc's mid-plane. Heights include the endplate concavity and the disc's bulge,
 * since the labels do.
 *
 * @param level 1 for the lowest (disc 1 = L5/S1 below vertebra 1 = L5), upwards
 * @param discLabel SPIDER label of the disc ({@code 200 + level})
 * @param vertebraLabel SPIDER label of the vertebra ({@code level}; {@code 100 + level} in a mask
 *     where the field of view cuts it)
 * @param discAnteriorMm disc height at the centre of its anterior third
 * @param discMiddleMm disc height at its AP middle
 * @param discPosteriorMm disc height at the centre of its posterior third
 * @param bodyAnteriorMm vertebral body height at the centre of its anterior third
 * @param bodyMiddleMm vertebral body height at its AP middle
 * @param bodyPosteriorMm vertebral body height at the centre of its posterior third
 * @param canalApMm anteroposterior diameter of the labelled canal on the disc's mid-plane
 */
public record PhantomLevel(
    int level,
    int discLabel,
    int vertebraLabel,
    double discAnteriorMm,
    double discMiddleMm,
    double discPosteriorMm,
    double bodyAnteriorMm,
    double bodyMiddleMm,
    double bodyPosteriorMm,
    double canalApMm) {}
