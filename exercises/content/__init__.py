"""The library's content, apart from the library itself.

- `library.yaml`: the exercise library as text, reviewed like code;
- `file.py`: its shape (pydantic), the checks a load needs, its canonical form;
- `seed.py`: loading it into the database and reading the database back;
- `bulk.py`: a large generated library for the query-budget tests and `make bench`.

The `seed_library` and `export_library` commands are thin wrappers around these.
"""
