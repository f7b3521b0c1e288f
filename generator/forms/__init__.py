"""Forms: the model built from forms/*.yml, and the PDFs, schemas and readers made from it."""
