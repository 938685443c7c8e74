package io.spineflow.imaging.levels;

/**
 * A 4-connected component of one structure on the slice.
 *
 * @param id index in {@link Components#ids()}
 * @param structure what it is
 * @param pixels its pixels ({@code i + width * j})
 * @param sup superior coordinate of its centroid (mm)
 * @param post posterior coordinate of its centroid (mm)
 * @param areaMm2 its area
 * @param cut true when it touches the border of the slice (the field of view cuts it)
 * @param covariance {ss, sp, pp}: second central moments of its pixel coordinates (mm²)
 */
record Component(
    int id,
    Structure structure,
    int[] pixels,
    double sup,
    double post,
    double areaMm2,
    boolean cut,
    double[] covariance) {}
