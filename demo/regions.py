"""Kemendagri codes and names of Sulawesi Tengah (province 72), its 13 kabupaten/kota, the
kecamatan of the two demo districts, and the desa and kelurahan that have actors in the
demo (Kepmendagri 300.2.2-2138 of 2025 on the codes of administrative areas)."""

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

# Every kecamatan of Kabupaten Sigi and Kota Palu.
SUBDISTRICTS = [
    ("72.10.01", "Sigi Biromaru"),
    ("72.10.02", "Palolo"),
    ("72.10.03", "Nokilalaki"),
    ("72.10.04", "Lindu"),
    ("72.10.05", "Kulawi"),
    ("72.10.06", "Kulawi Selatan"),
    ("72.10.07", "Pipikoro"),
    ("72.10.08", "Gumbasa"),
    ("72.10.09", "Dolo Selatan"),
    ("72.10.10", "Tanambulava"),
    ("72.10.11", "Dolo Barat"),
    ("72.10.12", "Dolo"),
    ("72.10.13", "Kinovaro"),
    ("72.10.14", "Marawola"),
    ("72.10.15", "Marawola Barat"),
    ("72.71.01", "Palu Timur"),
    ("72.71.02", "Palu Barat"),
    ("72.71.03", "Palu Selatan"),
    ("72.71.04", "Palu Utara"),
    ("72.71.05", "Ulujadi"),
    ("72.71.06", "Tatanga"),
    ("72.71.07", "Tawaeli"),
    ("72.71.08", "Mantikulore"),
]

# The villages with actors in the demo: desa in Sigi (2xxx), kelurahan in Palu (1xxx).
VILLAGES = [
    ("72.10.01.2003", "Bora"),
    ("72.10.01.2013", "Mpanau"),
    ("72.10.12.2007", "Kotarindau"),
    ("72.71.06.1001", "Nunu"),
    ("72.71.08.1003", "Talise"),
]
