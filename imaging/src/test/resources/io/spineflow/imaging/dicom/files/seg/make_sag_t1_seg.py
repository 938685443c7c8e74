"""Writes sag_t1_seg.dcm: a binary DICOM Segmentation of the vendored sag_t1_0001..0008 series.

Made with pydicom 3.0.2 and numpy (highdicom and dcmqi were not installable where it was written),
following PS3.3 A.51 (Segmentation IOD): two segments coded with SNOMED CT, the L4 vertebra
(11994002, CID 7603) and the L4/L5 disc (84020006, CID 7604); one frame per segment and slice
it covers, per-frame Segment Identification, Plane Position and Derivation Image (source SOP
Instance UID); 1-bit pixels packed across frames by pydicom's pack_bits. Prints the voxel count
per segment, which SegmentationLabelsTest expects.

Also writes sag_t1_seg_nopos.dcm: the same without Plane Position Sequence, so frames can only
be placed through their source image (Derivation Image Sequence).

Run from this folder: python3 seg/make_sag_t1_seg.py
"""

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.pixels import pack_bits
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian

SEG = "1.2.840.10008.5.1.4.1.1.66.4"
ROOT = "1.2.826.0.1.3680043.8.498.7726"  # fixed UIDs: the file is reproducible

sources = [pydicom.dcmread(f"sag_t1_{n:04d}.dcm") for n in range(1, 9)]
first = sources[0]
rows, cols = first.Rows, first.Columns


def code(value, meaning, scheme="SCT"):
    c = Dataset()
    c.CodeValue, c.CodingSchemeDesignator, c.CodeMeaning = value, scheme, meaning
    return c


def segment(number, label, value, meaning):
    s = Dataset()
    s.SegmentNumber, s.SegmentLabel, s.SegmentAlgorithmType = number, label, "MANUAL"
    s.SegmentedPropertyCategoryCodeSequence = Sequence([code("91723000", "Anatomical Structure")])
    s.SegmentedPropertyTypeCodeSequence = Sequence([code(value, meaning)])
    return s


def ellipse(cy, cx, ry, rx):
    y, x = np.ogrid[:rows, :cols]
    return ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1


# (segment, source slice index, mask): a vertebra on slices 2-6, a disc below it on slices 3-5
frames = []
for i in range(2, 7):
    frames.append((1, i, ellipse(rows * 0.55, cols * 0.5, 14 + i, 18)))
for i in range(3, 6):
    frames.append((2, i, ellipse(rows * 0.55 + 24, cols * 0.5, 4, 17 + i)))

ds = Dataset()
ds.file_meta = FileMetaDataset()
ds.file_meta.MediaStorageSOPClassUID = SEG
ds.file_meta.MediaStorageSOPInstanceUID = ROOT + ".2"
ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds.SOPClassUID, ds.SOPInstanceUID = SEG, ROOT + ".2"
ds.Modality, ds.SeriesInstanceUID, ds.SeriesNumber = "SEG", ROOT + ".1", 900
ds.StudyInstanceUID = first.StudyInstanceUID
ds.FrameOfReferenceUID = first.FrameOfReferenceUID
ds.PatientName, ds.PatientID = "", ""
ds.ContentLabel, ds.SegmentationType = "SPINE", "BINARY"
ds.ImageType = ["DERIVED", "PRIMARY"]
ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
ds.Rows, ds.Columns, ds.NumberOfFrames = rows, cols, len(frames)
ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 1, 1, 0, 0
ds.LossyImageCompression = "00"
ds.SegmentSequence = Sequence(
    [segment(1, "L4", "11994002", "L4 vertebra"), segment(2, "L4/L5", "84020006", "L4/L5 disc")])
ref = Dataset()
ref.SeriesInstanceUID = first.SeriesInstanceUID
inst = []
for s in sources:
    r = Dataset()
    r.ReferencedSOPClassUID, r.ReferencedSOPInstanceUID = s.SOPClassUID, s.SOPInstanceUID
    inst.append(r)
ref.ReferencedInstanceSequence = Sequence(inst)
ds.ReferencedSeriesSequence = Sequence([ref])
shared = Dataset()
po = Dataset()
po.ImageOrientationPatient = first.ImageOrientationPatient
pm = Dataset()
pm.PixelSpacing, pm.SliceThickness = first.PixelSpacing, first.SliceThickness
shared.PlaneOrientationSequence = Sequence([po])
shared.PixelMeasuresSequence = Sequence([pm])
ds.SharedFunctionalGroupsSequence = Sequence([shared])
per = []
for number, i, _ in frames:
    f = Dataset()
    sid = Dataset()
    sid.ReferencedSegmentNumber = number
    f.SegmentIdentificationSequence = Sequence([sid])
    pp = Dataset()
    pp.ImagePositionPatient = sources[i].ImagePositionPatient
    f.PlanePositionSequence = Sequence([pp])
    src = Dataset()
    src.ReferencedSOPClassUID = sources[i].SOPClassUID
    src.ReferencedSOPInstanceUID = sources[i].SOPInstanceUID
    der = Dataset()
    der.SourceImageSequence = Sequence([src])
    f.DerivationImageSequence = Sequence([der])
    per.append(f)
ds.PerFrameFunctionalGroupsSequence = Sequence(per)
stack = np.stack([m for _, _, m in frames]).astype(np.uint8)
ds.PixelData = pack_bits(stack)
ds.save_as("sag_t1_seg.dcm", enforce_file_format=True)

for f in ds.PerFrameFunctionalGroupsSequence:
    del f.PlanePositionSequence
ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = ROOT + ".3"
ds.save_as("sag_t1_seg_nopos.dcm", enforce_file_format=True)

back = pydicom.dcmread("sag_t1_seg.dcm").pixel_array
assert (back == stack).all()
print("rows", rows, "cols", cols, "frames", len(frames))
for number in (1, 2):
    print("segment", number, "voxels", int(sum(m.sum() for n, _, m in frames if n == number)))
for n, i, m in frames:
    print("frame segment", n, "source slice", i + 1, "voxels", int(m.sum()))
