"""The demo generator: a synthetic region of institutions, staff, ICT and innovation files for a seed."""
