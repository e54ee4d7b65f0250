"""The bank's spreadsheets: the columns of an innovation row (columns.py), reading XLSX and CSV files
into checked cells (reading.py), and an import planned row by row before anything is written, then
applied in one transaction (importing.py)."""
