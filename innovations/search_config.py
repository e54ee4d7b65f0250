"""The words the Indonesian search ignores, the spellings and terms it treats as one, and the
lemmas it corrects.

The database function `replikasi_lexemes(text)` builds every search vector and every query
(migration 0024), so a document and a query always agree: each word as written is dropped if it is a
stop word, read as its standard word if it is a variant or synonym (the table
innovations_searchsynonym, seeded from SPELLING_VARIANTS and SYNONYMS, extended in the admin), then
turned into its lemma (innovations_searchlemma, learned with Sastrawi: innovations/analysis.py), or,
for a word not learned, stemmed by PostgreSQL's `indonesian` Snowball stemmer. Stop words are matched
as written, so a word is listed only when it carries no content in any phrase ("lalu" is absent:
"lalu lintas"). Changing STOP_WORDS needs a migration that re-creates the function.
"""

STOP_WORDS = (  # noqa: SIM905 (a readable block of words)
    "ada adalah agar akan antara apa apabila atau bagaimana bagi bahwa begitu belum bila bisa dalam dan "
    "dari demi dengan di hanya harus hingga ia ini itu jika juga kami karena ke kepada kita lagi lebih "
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

# Acronyms and synonyms: a term (a word or a phrase, as written) -> its standard word.
SYNONYMS = {
    "antrian": "antrean",
    "kampoeng": "kampung",
    "keluarga berencana": "kb",
    "pedagang kaki lima": "pkl",
    "ukm": "umkm",
    "umkmk": "umkm",
    "difabel": "disabilitas",
    "sertifikasi": "sertifikat",
    "pusat kesehatan masyarakat": "puskesmas",
    "kependudukan dan pencatatan sipil": "dukcapil",
}

# Where Sastrawi's dictionary misleads it: the lemma it should give.
LEMMA_EXCEPTIONS = {
    "memilah": "pilah",
    "tumpukan": "tumpuk",
}
# Dictionary entries that capture prefixes ("mem" took "memilah").
NOT_ROOTS = ("mem",)
