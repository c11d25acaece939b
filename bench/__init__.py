"""`make bench`: speed and quality of both converters on the bundled samples and gold files."""
