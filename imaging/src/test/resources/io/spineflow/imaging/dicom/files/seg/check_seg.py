"""Prints what pydicom sees in a Segmentation, one line per fact, for SegmentationWriterToolsTest.

Independent of spineflow's reader: pydicom 3 decodes the 1-bit Pixel Data (pixel_array) and the
attributes. Output lines:
  frames N
  segment NUMBER SCHEME CODE LABEL-WITHOUT-SPACES ALGORITHM-TYPE
  frame SEGMENT X\\Y\\Z SET-PIXELS SUM-OF-SET-PIXEL-INDICES
Run: python3 check_seg.py FILE
"""

import sys

import numpy as np
import pydicom

ds = pydicom.dcmread(sys.argv[1])
assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.66.4", ds.SOPClassUID
pixels = ds.pixel_array
if pixels.ndim == 2:
    pixels = pixels[np.newaxis]
print("frames", int(ds.NumberOfFrames))
assert pixels.shape[0] == int(ds.NumberOfFrames)
for s in ds.SegmentSequence:
    t = s.SegmentedPropertyTypeCodeSequence[0]
    print("segment", s.SegmentNumber, t.CodingSchemeDesignator, t.CodeValue,
          s.SegmentLabel.replace(" ", "_"), s.SegmentAlgorithmType)
for i, f in enumerate(ds.PerFrameFunctionalGroupsSequence):
    number = f.SegmentIdentificationSequence[0].ReferencedSegmentNumber
    position = "\\".join(str(float(v)) for v in f.PlanePositionSequence[0].ImagePositionPatient)
    flat = pixels[i].reshape(-1)
    idx = np.flatnonzero(flat)
    print("frame", number, position, int(idx.size), int(idx.sum()))
