"""The words the Indonesian search ignores and the spellings it treats as one.

PostgreSQL's `indonesian` configuration stems ("pencegahan" -> "cegah") but ships no stop words and
knows nothing of spelling variants. Both lists are applied to *stems*, inside the database function
`replikasi_lexemes(text)` that builds every search vector and every query (migration 0003), so a
document and a query always agree. A word is listed as a stop word only when its stem is not also
the stem of a content word ("tetapi" -> "tetap", "penggunaan" -> "guna" and "mengatasi" -> "atas"
are why those are absent). Changing a list needs a migration that re-creates the function.
"""

STOP_WORDS = (  # noqa: SIM905 (a readable block of words)
    "ada adalah agar akan antara apa apabila atau bagaimana bagi bahwa begitu belum bila bisa dalam dan "
    "dari demi dengan di hanya harus hingga ia ini itu jika juga kami karena ke kepada kita lagi lalu lebih "
    "maka mana masih namun oleh pada para pun saat sana sangat sebagai secara sehingga sejak selain semua "
    "seperti serta setiap siapa sini sudah supaya tak tanpa telah tentang tersebut tiap tidak untuk via "
    "yaitu yakni yang"
).split()

# variant spelling -> the spelling of the standard dictionary (KBBI)
SPELLING_VARIANTS = {
    "akte": "akta",
    "ijin": "izin",
    "praktek": "praktik",
    "apotik": "apotek",
    "propinsi": "provinsi",
    "resiko": "risiko",
    "nasehat": "nasihat",
    "jadual": "jadwal",
    "kwalitas": "kualitas",
    "analisa": "analisis",
    "aktifitas": "aktivitas",
    "obyek": "objek",
    "kordinasi": "koordinasi",
    "sertipikat": "sertifikat",
    "tehnologi": "teknologi",
    "sistim": "sistem",
}
