"""Data protection: the privacy guard's detectors and word lists, the form validator that
runs the guard on free text, and (see README, "Data protection") retention and erasure.

The guard's entry point stays `lms.practice.privacy.find_identifying_data`; the modules
here hold the pieces it is built from.
"""
