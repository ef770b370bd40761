"""Kemendagri codes and names of Sulawesi Tengah (province 72) and its 13 kabupaten/kota
(Kepmendagri 100.1.1-6117 of 2022)."""

PROVINCE = ("72", "Sulawesi Tengah")

DISTRICTS = [
    ("72.01", "Kabupaten Banggai"),
    ("72.02", "Kabupaten Poso"),
    ("72.03", "Kabupaten Donggala"),
    ("72.04", "Kabupaten Toli-Toli"),
    ("72.05", "Kabupaten Buol"),
    ("72.06", "Kabupaten Morowali"),
    ("72.07", "Kabupaten Banggai Kepulauan"),
    ("72.08", "Kabupaten Parigi Moutong"),
    ("72.09", "Kabupaten Tojo Una-Una"),
    ("72.10", "Kabupaten Sigi"),
    ("72.11", "Kabupaten Banggai Laut"),
    ("72.12", "Kabupaten Morowali Utara"),
    ("72.71", "Kota Palu"),
]
