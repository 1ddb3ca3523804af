"""Stage 3: the report model mapped onto the dataset's tables, checked, and written as Parquet."""
