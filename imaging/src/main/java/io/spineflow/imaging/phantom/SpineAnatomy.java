package io.spineflow.imaging.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The lumbar spine and surrounding body of one phantom patient, in physical millimetres (LPS), and
 * what tissue and label lie at any point. The anatomy knows nothing of voxels: the generator
 * samples it onto whatever grid the study has, so spacing and orientation change the grid but not
 * the patient.
 *
 * <p>Everything is built in curvilinear spine coordinates: {@code t} is the arc length along the
 * posterior wall of the vertebral bodies, from the top of the sacrum ({@code t = 0}) upwards;
 * {@code n} is the distance from that line in the sagittal plane, positive towards posterior; and
 * {@code xl} is the left-right offset from the spine's midline. The posterior wall is a circular
 * arc whose centre of curvature lies behind the patient (a lordosis), which makes the
 * intervertebral discs wedge-shaped and the sacrum bend backwards without extra code. Vertebral
 * bodies are rounded boxes along {@code t}, discs fill the gaps between them, the canal runs behind
 * them along the whole spine, and the posterior elements sit behind the canal.
 *
 * <p>Vertebrae are numbered from the bottom (1 = lowest, as SPIDER does); disc {@code i} lies
 * directly below vertebra {@code i} (disc 1, SPIDER label 201, is L5/S1 above the sacrum, which is
 * not labelled).
 *
 * <p>A <em>wide</em> patient ({@link #randomWide}, for randomised studies) draws from much wider
 * ranges: 5-10 visible vertebrae (the field of view may reach the lower thoracic spine), smaller
 * and larger, flatter and taller vertebrae, thin and degenerated discs in any number, narrow and
 * wide canals, nearly straight to strongly curved lordosis, thin and thick fat and muscle, and fat
 * septa between the back muscles and around the spinous processes. A default patient draws exactly
 * what it always drew, so default studies stay byte-identical.
 */
final class SpineAnatomy {
  static final int CANAL_LABEL = 100;
  static final int DISC_LABEL_BASE = 200;
  private static final double SACRUM_LENGTH = 60;
  private static final double SACRAL_SEGMENT = 22;
  private static final double FACET_GAP = 0.8;
  private static final double BOWEL_CELL = 36;
  private static final double MIN_WIDE_RADIUS = 240;

  private final int levels;
  private final int visibleVertebrae;

  // The posterior-wall arc: centre of curvature (y, z), radius, and the unit vectors e1 (from the
  // centre to the top of the sacrum) and e2 (the upward tangent there).
  private final double radius;
  private final double centreY;
  private final double centreZ;
  private final double e1y;
  private final double e1z;
  private final double e2y;
  private final double e2z;
  private final double midlineX;

  // Per vertebra, index 1..levels (index 0 unused): body centre along t, half height, AP and LR
  // half widths. Disc i spans t in [discLow[i], discHigh[i]] and has its own hydration.
  private final double[] centre;
  private final double[] halfHeight;
  private final double[] apHalf;
  private final double[] lrHalf;
  private final double[] discLow;
  private final double[] discHigh;
  private final double[] discAp;
  private final double[] discLr;
  private final double[] discHydration;
  private final double[] pillarLow;
  private final double[] pillarHigh;

  private final double endplateConcavity;
  private final double cortex;
  private final double discBulge;
  private final double sacrumAp;
  private final double sacrumLr;
  private final double canalGap;
  private final double canalAp;
  private final double canalLr;
  private final double laminaThickness;
  private final double spinousLength;
  private final double conusT;
  private final double meanAp;

  // The torso is not bent with the spine: its depth coordinate q runs along (qy, qz), the posterior
  // normal of the spine's chord, so the back is nearly straight and the soft tissue behind a
  // lordotic spine is thickest at mid-lumbar level, as in patients.
  private double depthY;
  private double depthZ;
  private double torsoCentreQ;
  private double torsoHalfDepth;
  private final double torsoHalfWidth;
  private final double fatThickness;
  private double backQ;

  // Wide patients only (0 otherwise): fat septa in the back muscles at these depths behind the
  // canal's back wall, with a wavy course along t; a thin fat band along the midline between the
  // spinous processes; a prevertebral fat layer between the bodies and the abdomen.
  private final double[] septumDepth;
  private final double[] septumPhase;
  private final double septumWidth;
  private final double midlineFat;
  private final double prevertebralFat;
  // Wide patients only (0 = none): salt of the bowel loops (gas, fluid, fat) in the abdomen.
  private final long bowelSalt;

  private final double aortaRadius;
  private final double aortaX;
  private final double ivcRadius;
  private final double ivcX;
  private final double vesselsEnd;

  /**
   * Draws the patient. Each value comes from the default range or, when {@code wide}, from the wide
   * one; a default patient must make exactly the draws it always made, in the same order, so every
   * draw that exists only for wide patients sits behind {@code if (wide)}.
   */
  private SpineAnatomy(RandomGenerator random, boolean wide) {
    visibleVertebrae = 5 + random.nextInt(wide ? 6 : 3);
    // Two more levels than the field of view shows, so the top of the image is anatomy, not void.
    levels = visibleVertebrae + 2;

    double baseHeight = range(random, wide, 21, 26, 17, 30);
    double baseAp = range(random, wide, 34, 42, 28, 48);
    double baseLr = range(random, wide, 41, 49, 35, 55);
    double baseDisc = range(random, wide, 8, 11, 5, 14);
    endplateConcavity = range(random, wide, 0.8, 1.6, 0.3, 2.5);
    cortex = range(random, wide, 1.0, 1.5, 0.6, 2.2);
    discBulge = range(random, wide, 0.5, 2.0, 0.0, 3.5);
    // How prone this patient's discs are to degenerate (wide: from none to most of them).
    double degenerationProneness = wide ? uniform(random, 0, 2.5) : 1;
    // Wide: thoracic vertebrae shrink by 1-4% per level instead of 2%.
    double taper = wide ? uniform(random, 0.01, 0.04) : 0.02;

    centre = new double[levels + 2];
    halfHeight = new double[levels + 2];
    apHalf = new double[levels + 2];
    lrHalf = new double[levels + 2];
    discLow = new double[levels + 2];
    discHigh = new double[levels + 2];
    discAp = new double[levels + 2];
    discLr = new double[levels + 2];
    discHydration = new double[levels + 2];
    pillarLow = new double[levels + 2];
    pillarHigh = new double[levels + 2];

    double t = 0;
    double apSum = 0;
    for (int v = 1; v <= levels; v++) {
      // Above L1 (v > 5) the thoracic bodies and discs get a little smaller.
      boolean thoracic = v > 5;
      apHalf[v] =
          baseAp / 2 * range(random, wide, 0.96, 1.04, 0.9, 1.1) * (1 - taper * Math.min(v - 1, 9));
      lrHalf[v] =
          baseLr / 2 * range(random, wide, 0.96, 1.04, 0.9, 1.1) * (1 - taper * Math.min(v - 1, 9));
      halfHeight[v] =
          baseHeight / 2 * range(random, wide, 0.95, 1.05, 0.88, 1.12) * (thoracic ? 0.94 : 1);
      apSum += apHalf[v];

      // Lower lumbar discs degenerate more often: thinner and dark (dehydrated) on T2.
      double degenerationOdds = (v == 1 ? 0.3 : v == 2 ? 0.25 : 0.1) * degenerationProneness;
      boolean degenerated = random.nextDouble() < degenerationOdds;
      double discHeight = baseDisc * range(random, wide, 0.9, 1.1, 0.8, 1.2) * (thoracic ? 0.8 : 1);
      if (degenerated) {
        discHeight *= range(random, wide, 0.55, 0.75, 0.3, 0.75);
        discHydration[v] = range(random, wide, 0.2, 0.5, 0.0, 0.45);
      } else {
        discHydration[v] = range(random, wide, 0.75, 1.0, 0.55, 1.0);
      }
      discLow[v] = t;
      discHigh[v] = t + discHeight;
      t += discHeight;
      centre[v] = t + halfHeight[v];
      t += 2 * halfHeight[v];
    }
    sacrumAp = apHalf[1] * 1.02;
    sacrumLr = lrHalf[1] * 1.5;
    for (int v = 1; v <= levels; v++) {
      double below = v == 1 ? sacrumAp : apHalf[v - 1];
      double belowLr = v == 1 ? lrHalf[1] : lrHalf[v - 1];
      discAp[v] = Math.min(below, apHalf[v]);
      discLr[v] = Math.min(belowLr, lrHalf[v]);
      // Articular pillars reach halfway into the discs above and below; the facet joint is the gap.
      pillarLow[v] = (discLow[v] + discHigh[v]) / 2 + FACET_GAP;
      pillarHigh[v] =
          v == levels
              ? centre[v] + halfHeight[v]
              : (discLow[v + 1] + discHigh[v + 1]) / 2 - FACET_GAP;
    }
    meanAp = apSum / levels;

    canalGap = range(random, wide, 0.3, 1.0, 0.2, 3.0);
    canalAp = range(random, wide, 12, 15, 8, 20) / 2;
    canalLr = range(random, wide, 15, 20, 11, 25) / 2;
    laminaThickness = range(random, wide, 5, 7, 4, 9);
    spinousLength = range(random, wide, 22, 32, 16, 38);
    // The conus ends around L1-L2: vertebra 4-5 when 1 is L5.
    conusT = centre[Math.min(5, levels)] + uniform(random, -25, 10);

    double muscleCover = range(random, wide, 6, 18, 3, 40);
    fatThickness = range(random, wide, 8, 28, 3, 60);
    double anteriorDepth = range(random, wide, 110, 190, 90, 260);
    torsoHalfWidth = range(random, wide, 130, 170, 110, 210);

    aortaRadius = uniform(random, 9, 12);
    aortaX = uniform(random, 12, 20);
    ivcRadius = uniform(random, 10, 13);
    ivcX = -uniform(random, 14, 22);
    // The aorta bifurcates around L4 (vertebra 2).
    vesselsEnd = centre[2] + uniform(random, -5, 10);

    // Lordosis: 30-50 degrees of arc from the sacrum to the top of the visible spine, tilted so
    // the bottom leans forward more than the top leans back (the sacral slope).
    double visibleLength = centre[visibleVertebrae] + halfHeight[visibleVertebrae];
    double arc = range(random, wide, Math.toRadians(30), Math.toRadians(50), 0.1, 1.0);
    if (wide) {
      // The centre of curvature must stay behind the back, whatever its depth: a short spine gets
      // less curvature.
      arc = Math.min(arc, visibleLength / MIN_WIDE_RADIUS);
    }
    radius = visibleLength / arc;
    double sacralTilt = 0.6 * arc + uniform(random, -0.08, 0.08);
    // Upward tangent at the sacrum: anterior (-y) and superior; posterior normal: n0.
    double tangentY = -StrictMath.sin(sacralTilt);
    double tangentZ = StrictMath.cos(sacralTilt);
    double normalY = StrictMath.cos(sacralTilt);
    double normalZ = StrictMath.sin(sacralTilt);
    e1y = -normalY;
    e1z = -normalZ;
    e2y = tangentY;
    e2z = tangentZ;
    midlineX = uniform(random, -15, 15);
    // Place the middle of the spine near (but not at) the scanner's isocentre.
    double[] middle = pointRelative(visibleLength / 2, -meanAp, 0, 0, 0);
    centreY = uniform(random, -20, 20) - middle[1];
    centreZ = uniform(random, -25, 25) - middle[2];
    shapeTorso(visibleLength, muscleCover, anteriorDepth);

    int septa = wide ? random.nextInt(4) : 0;
    septumDepth = new double[septa];
    septumPhase = new double[septa];
    for (int s = 0; s < septa; s++) {
      septumDepth[s] = uniform(random, 4, spinousLength + muscleCover);
      septumPhase[s] = uniform(random, 0, 2 * Math.PI);
    }
    septumWidth = wide ? uniform(random, 0.8, 3) : 0;
    midlineFat = wide && random.nextBoolean() ? uniform(random, 1, 3) : 0;
    prevertebralFat = wide ? uniform(random, 0, 12) : 0;
    bowelSalt = wide ? random.nextLong() | 1 : 0;
  }

  /** Fits the straight-backed torso around the curved spine. */
  private void shapeTorso(double visibleLength, double muscleCover, double anteriorDepth) {
    double[] low = point(-SACRUM_LENGTH, 0, 0);
    double[] high = point(visibleLength + 40, 0, 0);
    double cy = high[1] - low[1];
    double cz = high[2] - low[2];
    double norm = Math.sqrt(cy * cy + cz * cz);
    depthY = cz / norm;
    depthZ = -cy / norm;
    double canalBack = canalGap + 2 * canalAp;
    double back = Double.NEGATIVE_INFINITY;
    double front = Double.POSITIVE_INFINITY;
    for (double t = -SACRUM_LENGTH; t <= visibleLength + 40; t += 2) {
      back = Math.max(back, depth(point(t, canalBack + (t < 0 ? 16 : spinousLength), 0)));
      front = Math.min(front, depth(point(t, -2 * meanAp, 0)));
    }
    backQ = back + muscleCover + fatThickness;
    double frontQ = front - anteriorDepth;
    torsoCentreQ = (backQ + frontQ) / 2;
    torsoHalfDepth = (backQ - frontQ) / 2;
  }

  private double depth(double[] p) {
    return p[1] * depthY + p[2] * depthZ;
  }

  /** A random patient; all randomness comes from {@code random}. */
  static SpineAnatomy random(RandomGenerator random) {
    return new SpineAnatomy(random, false);
  }

  /** A random patient from the wide ranges of randomised studies (see the class comment). */
  static SpineAnatomy randomWide(RandomGenerator random) {
    return new SpineAnatomy(random, true);
  }

  /** How many vertebrae (1..k) the field of view is meant to show, the top one cut. */
  int visibleVertebrae() {
    return visibleVertebrae;
  }

  /** Vertebrae modelled, including some above the field of view. */
  int levels() {
    return levels;
  }

  double lordosisRadius() {
    return radius;
  }

  /**
   * Ground truth of level {@code i} (disc i and vertebra i) on the midline, read from the same
   * classification the generator samples: see {@link PhantomLevel}. Draws nothing.
   */
  PhantomLevel levelTruth(int i) {
    double discMid = (discLow[i] + discHigh[i]) / 2;
    int discLabel = DISC_LABEL_BASE + i;
    double[] disc =
        thirdsHeights(
            discMid,
            discLabel,
            discLow[i] - endplateConcavity - 2,
            discHigh[i] + endplateConcavity + 2);
    double[] body =
        thirdsHeights(centre[i], i, centre[i] - halfHeight[i] - 1, centre[i] + halfHeight[i] + 1);
    double[] canal = extentAlongN(discMid, CANAL_LABEL, canalGap - 5, canalGap + 2 * canalAp + 5);
    return new PhantomLevel(
        i, discLabel, i, disc[0], disc[1], disc[2], body[0], body[1], body[2], canal[1] - canal[0]);
  }

  /** Heights (mm) of {@code label} at the centres of the anterior, middle, posterior thirds. */
  private double[] thirdsHeights(double tMid, int label, double tFrom, double tTo) {
    double[] ap = extentAlongN(tMid, label, -2.5 * meanAp - 30, canalGap + canalAp);
    double length = ap[1] - ap[0];
    double[] depths = {ap[0] + length / 6, ap[0] + length / 2, ap[1] - length / 6};
    double[] heights = new double[3];
    TissueSample sample = new TissueSample();
    double step = 0.005;
    for (int k = 0; k < 3; k++) {
      int inside = 0;
      for (double t = tFrom; t <= tTo; t += step) {
        if (classifySpine(t, depths[k], 0, sample).label == label) {
          inside++;
        }
      }
      // Along t the spine coordinates are arcs: at depth n their length scales by (R - n) / R.
      heights[k] = inside * step * (radius - depths[k]) / radius;
    }
    return heights;
  }

  /** The smallest and largest n (step 0.01 mm) where {@code label} lies on the midline at t. */
  private double[] extentAlongN(double t, int label, double nFrom, double nTo) {
    TissueSample sample = new TissueSample();
    double low = Double.NaN;
    double high = Double.NaN;
    for (double n = nFrom; n <= nTo; n += 0.01) {
      if (classifySpine(t, n, 0, sample).label == label) {
        low = Double.isNaN(low) ? n : low;
        high = n;
      }
    }
    return new double[] {low, high};
  }

  /** The physical x of the spine's midline (mid-sagittal plane). */
  double midlineX() {
    return midlineX;
  }

  /** The physical point at spine coordinates (t, n, xl). */
  double[] point(double t, double n, double xl) {
    return pointRelative(t, n, xl, centreY, centreZ);
  }

  private double[] pointRelative(double t, double n, double xl, double cy, double cz) {
    double psi = t / radius;
    double r = radius - n;
    double cos = StrictMath.cos(psi);
    double sin = StrictMath.sin(psi);
    return new double[] {
      midlineX + xl, cy + r * (cos * e1y + sin * e2y), cz + r * (cos * e1z + sin * e2z)
    };
  }

  /** Points bounding vertebra {@code v} with its posterior elements (corners of boxes). */
  List<double[]> vertebraExtent(int v) {
    List<double[]> points = new ArrayList<>();
    double h = halfHeight[v];
    double canalBack = canalGap + 2 * canalAp;
    addBox(points, centre[v] - h, centre[v] + h, -2 * apHalf[v], 0, lrHalf[v]); // body
    addBox(
        points,
        pillarLow[v],
        pillarHigh[v],
        canalBack - 7,
        canalBack + 5,
        canalLr + 15); // articular pillars
    addBox(
        points,
        centre[v] - 1.15 * h,
        centre[v] + 0.55 * h,
        canalBack - 1,
        canalBack + laminaThickness,
        canalLr + 9); // lamina
    addBox(
        points,
        centre[v] - 0.85 * h - 0.25 * spinousLength,
        centre[v] + 0.45 * h,
        canalBack,
        canalBack + spinousLength,
        3.2); // spinous process
    return points;
  }

  /** Points bounding the body of vertebra {@code v} alone. */
  List<double[]> bodyExtent(int v) {
    List<double[]> points = new ArrayList<>();
    addBox(
        points, centre[v] - halfHeight[v], centre[v] + halfHeight[v], -2 * apHalf[v], 0, lrHalf[v]);
    return points;
  }

  /** Points bounding disc {@code i} (the one below vertebra {@code i}). */
  List<double[]> discExtent(int i) {
    List<double[]> points = new ArrayList<>();
    addBox(
        points,
        discLow[i] - endplateConcavity,
        discHigh[i] + endplateConcavity,
        -2 * discAp[i] - discBulge,
        discBulge,
        discLr[i] + discBulge);
    return points;
  }

  /** The posterior skin on the midline, level with the spine at height {@code t}. */
  double[] posteriorSkin(double t) {
    double[] p = point(t, 0, 0);
    double shift = backQ - depth(p);
    return new double[] {p[0], p[1] + shift * depthY, p[2] + shift * depthZ};
  }

  /** The anterior-most point of vertebral body {@code v} on the midline. */
  double[] anteriorBody(int v) {
    return point(centre[v], -2 * apHalf[v], 0);
  }

  /** The top of the body of vertebra {@code v} along the spine. */
  double bodyTop(int v) {
    return centre[v] + halfHeight[v];
  }

  private void addBox(List<double[]> points, double t0, double t1, double n0, double n1, double x) {
    for (double t : new double[] {t0, t1}) {
      for (double n : new double[] {n0, n1}) {
        points.add(point(t, n, -x));
        points.add(point(t, n, x));
      }
    }
  }

  /**
   * Classifies the physical point (x, y, z) into {@code out}: its tissue and its provisional label
   * (vertebra index, {@value #CANAL_LABEL}, {@value #DISC_LABEL_BASE} + disc index, or 0).
   */
  TissueSample classify(double x, double y, double z, TissueSample out) {
    double dy = y - centreY;
    double dz = z - centreZ;
    double along = dy * e1y + dz * e1z;
    if (along <= 0) {
      // Behind the centre of curvature: far outside the body (and the spine coordinates fold).
      return out.set(Tissue.AIR, 0, 0);
    }
    double across = dy * e2y + dz * e2z;
    double xl = x - midlineX;
    double q = y * depthY + z * depthZ - torsoCentreQ;
    double tq = q / torsoHalfDepth;
    double tx = xl / torsoHalfWidth;
    if (tq * tq + tx * tx > 1) {
      return out.set(Tissue.AIR, 0, 0);
    }
    double fq = q / (torsoHalfDepth - fatThickness);
    double fx = xl / (torsoHalfWidth - fatThickness);
    if (fq * fq + fx * fx > 1) {
      return out.set(Tissue.FAT, 0, 0);
    }
    double n = radius - Math.sqrt(dy * dy + dz * dz);
    double t = radius * StrictMath.atan(across / along);
    return classifySpine(t, n, xl, out);
  }

  private TissueSample classifySpine(double t, double n, double xl, TissueSample out) {
    // Cheap rejection: nothing of the spine lies further than this from its wall line.
    if (n > canalGap + 2 * canalAp + spinousLength + 2
        || n < -2.5 * meanAp - 30
        || Math.abs(xl) > 2 * lrHalf[1] + 20) {
      return softTissue(t, n, xl, out);
    }
    int v = levelAt(t);
    if (v == 0) {
      if (sacrum(t, n, xl, out) || disc(1, t, n, xl, out)) {
        return out;
      }
    } else {
      if (body(v, t, n, xl, out)
          || disc(v, t, n, xl, out)
          || (v < levels && disc(v + 1, t, n, xl, out))) {
        return out;
      }
    }
    if (canal(t, n, xl, out)) {
      return out;
    }
    int from = Math.max(1, v - 1);
    int to = Math.min(levels, v + 1);
    for (int w = from; w <= to; w++) {
      if (posteriorElements(w, t, n, xl, out)) {
        return out;
      }
    }
    if (t < 2 && sacralPosterior(t, n, xl, out)) {
      return out;
    }
    if (ligament(t, n, xl, out) || foramen(n, xl, out) || vessel(t, n, xl, out)) {
      return out;
    }
    return softTissue(t, n, xl, out);
  }

  /** Vertebra v when t lies in [bottom of disc v, top of body v]; 0 below, levels above. */
  private int levelAt(double t) {
    if (t < 0) {
      return 0;
    }
    for (int v = 1; v <= levels; v++) {
      if (t < centre[v] + halfHeight[v]) {
        return v;
      }
    }
    return levels;
  }

  private boolean body(int v, double t, double n, double xl, TissueSample out) {
    double tau = Math.abs(t - centre[v]);
    double h = halfHeight[v];
    if (tau > h) {
      return false;
    }
    double a = apHalf[v];
    double b = lrHalf[v];
    double pn = (n + a) / a;
    double px = xl / b;
    double rho2 = pn * pn + px * px;
    if (rho2 >= 1) {
      return false;
    }
    // Concave endplates (the disc fills them) and rounded rims.
    double hh = h - endplateConcavity * (1 - rho2);
    if (!roundedBox(rho2, tau / hh)) {
      return false;
    }
    double cn = (n + a) / (a - cortex);
    double cx = xl / (b - cortex);
    double core2 = cn * cn + cx * cx;
    boolean marrow = core2 < 1 && roundedBox(core2, tau / (hh - cortex));
    out.set(marrow ? Tissue.MARROW : Tissue.CORTEX, 0, v);
    return true;
  }

  /** Inside the superellipsoid rho^8 + q^8 <= 1 (rho2 = rho squared, q = height fraction). */
  private static boolean roundedBox(double rho2, double q) {
    double r4 = rho2 * rho2;
    double q2 = q * q;
    double q4 = q2 * q2;
    return r4 * r4 + q4 * q4 <= 1;
  }

  private boolean disc(int i, double t, double n, double xl, TissueSample out) {
    double low = discLow[i];
    double high = discHigh[i];
    double half = (high - low) / 2;
    double tau = t - (low + high) / 2;
    if (Math.abs(tau) > half + endplateConcavity + 0.3) {
      return false;
    }
    double a = discAp[i];
    double b = discLr[i];
    // The annulus bulges most at mid-height: a lens, not a cylinder.
    double s = tau / half;
    double bulge = s * s < 1 ? discBulge * (1 - s * s) : 0;
    double pn = (n + a) / (a + bulge);
    double px = xl / (b + bulge);
    double rho2 = pn * pn + px * px;
    if (rho2 > 1 || Math.abs(tau) > half + endplateConcavity * (1 - rho2) + 0.2) {
      return false;
    }
    // The nucleus sits slightly posterior of the centre; its water content fades into the annulus.
    double qn = (n + 0.9 * a) / (0.72 * a);
    double qx = xl / (0.75 * b);
    double qt = tau / (0.85 * (half + endplateConcavity));
    double nucleus = Math.max(0, Math.min(1, (1 - (qn * qn + qx * qx + qt * qt)) / 0.5));
    double mix = discHydration[i] * nucleus;
    if (Math.abs(tau) < 0.45 && discHydration[i] > 0.55) {
      mix *= 0.55; // the intranuclear cleft of adult discs
    }
    out.set(Tissue.DISC, mix, DISC_LABEL_BASE + i);
    return true;
  }

  private boolean sacrum(double t, double n, double xl, TissueSample out) {
    if (t > 0 || t < -SACRUM_LENGTH) {
      return false;
    }
    double f = -t / SACRUM_LENGTH;
    double a = sacrumAp * (1 - 0.45 * f);
    double b = sacrumLr * (1 - 0.35 * f);
    double pn = (n + a) / a;
    double px = xl / b;
    double rho2 = pn * pn + px * px;
    double mid = -SACRUM_LENGTH / 2;
    double q = (t - mid) / (SACRUM_LENGTH / 2);
    if (rho2 >= 1 || !roundedBox(rho2, q)) {
      return false;
    }
    for (int m = 1; m <= 2; m++) {
      if (Math.abs(t + m * SACRAL_SEGMENT) < 1.0 && rho2 < 0.8) {
        // Rudimentary discs between the fused sacral segments: unlabelled, like the sacrum.
        out.set(Tissue.DISC, 0, 0);
        return true;
      }
    }
    double cn = (n + a) / (a - cortex);
    double cx = xl / (b - cortex);
    double core2 = cn * cn + cx * cx;
    double qc = (t - mid) / (SACRUM_LENGTH / 2 - cortex);
    boolean marrow = core2 < 1 && roundedBox(core2, qc);
    out.set(marrow ? Tissue.MARROW : Tissue.CORTEX, 0, 0);
    return true;
  }

  /** Canal size relative to the lumbar canal: narrowing in the sacrum, ending at S3. */
  private static double canalScale(double t) {
    if (t >= 0) {
      return 1;
    }
    double end = 0.75 * SACRUM_LENGTH;
    return t < -end ? 0 : 1 - 0.55 * (-t / end);
  }

  private boolean canal(double t, double n, double xl, TissueSample out) {
    double scale = canalScale(t);
    if (scale <= 0) {
      return false;
    }
    double a = canalAp * scale;
    double b = canalLr * scale;
    double cn = canalGap + a;
    double qn = (n - cn) / a;
    double qx = xl / b;
    if (qn * qn + qx * qx > 1) {
      return false;
    }
    Tissue tissue = Tissue.FAT; // epidural fat around the thecal sac, mostly behind it
    if (t > -0.45 * SACRUM_LENGTH) {
      double sn = (n - cn + 0.6) / Math.max(0.8, a - 1.4);
      double sx = xl / Math.max(0.8, b - 1.0);
      if (sn * sn + sx * sx <= 1) {
        tissue = Tissue.CSF;
        double taper = Math.max(0, Math.min(1, (t - conusT) / 18 + 1));
        if (taper > 0) {
          double rn = (n - cn + 0.6) / (3.6 * taper);
          double rx = xl / (4.5 * taper);
          if (rn * rn + rx * rx <= 1) {
            tissue = Tissue.CORD;
          }
        }
      }
    }
    out.set(tissue, 0, CANAL_LABEL);
    return true;
  }

  private boolean posteriorElements(int v, double t, double n, double xl, TissueSample out) {
    double h = halfHeight[v];
    double tau = t - centre[v];
    double canalBack = canalGap + 2 * canalAp;
    double ax = Math.abs(xl);
    boolean bone = false;
    if (n > -4 && n < canalBack + 1.5) {
      double px = (ax - (canalLr + 3.5)) / 4.0;
      double pt = (tau - 0.25 * h) / (0.5 * h);
      bone = px * px + pt * pt <= 1; // pedicles
    }
    if (!bone && n >= canalBack - 1 && n <= canalBack + laminaThickness) {
      double lt = (tau + 0.3 * h) / (0.85 * h);
      double lx = xl / (canalLr + 9);
      double lt2 = lt * lt;
      double lx2 = lx * lx;
      bone = lt2 * lt2 + lx2 * lx2 <= 1; // lamina
    }
    if (!bone
        && ax >= canalLr + 3.5
        && ax <= canalLr + 15
        && n >= canalBack - 7
        && n <= canalBack + 5
        && t >= pillarLow[v]
        && t <= pillarHigh[v]) {
      bone = true; // articular pillars
    }
    double d = n - canalBack;
    if (!bone && d >= 0 && d <= spinousLength && ax <= 3.2) {
      // The spinous process slopes down as it runs back, and narrows towards its tip.
      double sc = -0.2 * h - 0.25 * d;
      double sh = 0.65 * h * (1 - 0.15 * d / spinousLength);
      double st = (tau - sc) / sh;
      double sd = d / spinousLength;
      double st2 = st * st;
      double sd2 = sd * sd;
      bone = st2 * st2 + sd2 * sd2 * sd2 <= 1;
    }
    if (bone) {
      out.set(Tissue.POSTERIOR_BONE, 0, v);
    }
    return bone;
  }

  private boolean sacralPosterior(double t, double n, double xl, TissueSample out) {
    if (t < -SACRUM_LENGTH * 0.9) {
      return false;
    }
    double canalBack = canalGap + 2 * canalAp * canalScale(Math.min(t, 0));
    double ax = Math.abs(xl);
    boolean wall = t < -3 && n >= canalBack && n <= canalBack + 9 && ax <= canalLr + 14;
    boolean crest = t < -8 && n >= canalBack && n <= canalBack + 16 && ax <= 3;
    boolean pillar =
        ax >= canalLr + 3.5
            && ax <= canalLr + 15
            && n >= canalBack - 7
            && n <= canalBack + 5
            && t <= pillarLow[1] - 2 * FACET_GAP;
    if (wall || crest || pillar) {
      out.set(Tissue.POSTERIOR_BONE, 0, 0);
      return true;
    }
    return false;
  }

  private boolean ligament(double t, double n, double xl, TissueSample out) {
    double canalBack = canalGap + 2 * canalAp;
    double ax = Math.abs(xl);
    boolean longitudinal = t > 0 && n >= 0 && n < canalGap && ax < canalLr;
    boolean flavum = t > -5 && n >= canalBack - 0.5 && n <= canalBack + 3.5 && ax < canalLr + 6;
    if (longitudinal || flavum) {
      out.set(Tissue.LIGAMENT, 0, 0);
      return true;
    }
    return false;
  }

  /** Neural foramina between the pedicles: fat around the exiting nerve roots. */
  private boolean foramen(double n, double xl, TissueSample out) {
    double ax = Math.abs(xl);
    if (n >= -1 && n <= canalGap + 2 * canalAp && ax >= canalLr - 1 && ax <= canalLr + 9) {
      out.set(Tissue.FAT, 0, 0);
      return true;
    }
    return false;
  }

  private boolean vessel(double t, double n, double xl, TissueSample out) {
    if (t < vesselsEnd) {
      return false;
    }
    double front = -2 * meanAp;
    double an = (n - (front - 3 - aortaRadius)) / aortaRadius;
    double ax = (xl - aortaX) / aortaRadius;
    double vn = (n - (front - 2 - 0.7 * ivcRadius)) / (0.7 * ivcRadius);
    double vx = (xl - ivcX) / ivcRadius;
    if (an * an + ax * ax <= 1 || vn * vn + vx * vx <= 1) {
      out.set(Tissue.VESSEL, 0, 0);
      return true;
    }
    return false;
  }

  private TissueSample softTissue(double t, double n, double xl, TissueSample out) {
    // Paraspinal muscles behind and psoas beside the spine; bowel and organs in front of it.
    double front = -2 * meanAp - 4;
    if (n <= front) {
      if (n > front - prevertebralFat) {
        return out.set(Tissue.FAT, 0, 0);
      }
      return out.set(bowelSalt == 0 ? Tissue.VISCERA : bowel(t, n, xl), 0, 0);
    }
    double behind = n - (canalGap + 2 * canalAp);
    if (behind > laminaThickness && behind < spinousLength + 5 && Math.abs(xl) < midlineFat) {
      return out.set(Tissue.FAT, 0, 0); // fat around the interspinous and supraspinous ligaments
    }
    for (int s = 0; s < septumDepth.length; s++) {
      double course = septumDepth[s] + 4 * StrictMath.sin(t / 45 + septumPhase[s]);
      if (behind > 0 && Math.abs(behind - course) < septumWidth / 2) {
        return out.set(Tissue.FAT, 0, 0); // fascial planes between the back muscles
      }
    }
    return out.set(Tissue.MUSCLE, 0, 0);
  }

  /**
   * Bowel loops of a wide patient: space is cut into cubes of {@value #BOWEL_CELL} mm, each holding
   * at most one ball (gas, fluid or fat) of its own size, placed so it stays inside its cube.
   * Hashing the cube index makes it a fixed 3D pattern without storing anything.
   */
  private Tissue bowel(double t, double n, double xl) {
    long ix = (long) Math.floor(t / BOWEL_CELL);
    long iy = (long) Math.floor(n / BOWEL_CELL);
    long iz = (long) Math.floor(xl / BOWEL_CELL);
    long h = mix(bowelSalt ^ (ix * 0x9E3779B97F4A7C15L + iy * 0xC2B2AE3D27D4EB4FL + iz));
    int kind = (int) (h & 3);
    if (kind == 3) {
      return Tissue.VISCERA;
    }
    double radius = BOWEL_CELL * (0.2 + 0.28 * fraction(h >>> 2));
    double room = BOWEL_CELL - 2 * radius;
    double dt = t - (ix * BOWEL_CELL + radius + room * fraction(h >>> 18));
    double dn = n - (iy * BOWEL_CELL + radius + room * fraction(h >>> 34));
    double dx = xl - (iz * BOWEL_CELL + radius + room * fraction(h >>> 50));
    if (dt * dt + dn * dn + dx * dx > radius * radius) {
      return Tissue.VISCERA;
    }
    return kind == 0 ? Tissue.AIR : kind == 1 ? Tissue.CSF : Tissue.FAT;
  }

  /** 14 bits of {@code bits} as a fraction in [0, 1). */
  private static double fraction(long bits) {
    return (bits & 0x3FFF) / 16384.0;
  }

  /** SplitMix64's finaliser: a well-mixed 64-bit hash. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [low, high), or in [wideLow, wideHigh) for a wide patient. */
  private static double range(
      RandomGenerator random,
      boolean wide,
      double low,
      double high,
      double wideLow,
      double wideHigh) {
    return wide ? uniform(random, wideLow, wideHigh) : uniform(random, low, high);
  }

  private static double uniform(RandomGenerator random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }
}
