"""The course as data: one reader (and schema check) per content file format."""
