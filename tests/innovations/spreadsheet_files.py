"""Real XLSX and CSV files, built in memory for the import tests."""

import io

from openpyxl import Workbook

HEADER = ["nama_inovasi", "instansi", "wilayah", "kategori", "ringkasan"]


def xlsx(header, *rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_file(header, *rows, delimiter=";", bom=True) -> bytes:
    lines = [delimiter.join(header), *(delimiter.join(row) for row in rows)]
    return ("\ufeff" if bom else "").encode() + "\r\n".join(lines).encode()
