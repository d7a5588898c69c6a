#!/usr/bin/env python3
"""HDF5 score maps the tests cannot write themselves (jhdf writes no float16): float16 as the official SMIYC
Evaluation.save_output stores them (gzip-compressed dataset "value"), and float64.

Run: python3 make_hdf5_fixtures.py   (Debian python3-h5py python3-numpy), in this folder.
"""
import h5py
import numpy as np

half = np.array([[0.1, 0.5, 65504], [1e-7, -2.5, 0.333]], dtype=np.float16)
with h5py.File("smiyc_float16.hdf5", "w") as f:
    f.create_dataset("value", data=half, compression="gzip")
with h5py.File("scores_float64.hdf5", "w") as f:
    f.create_dataset("value", data=np.array([[0.1, 0.5], [0.3, 1e300]], dtype=np.float64))
print("float16 bits:", [hex(x) for x in half.view(np.uint16).ravel()])
