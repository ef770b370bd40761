"""Actors of the demo districts: (name, short name, kind, sector code, government level).

The government agencies follow the nomenclature of a kabupaten/kota in Sulawesi Tengah;
Puskesmas, NGOs and partners are those typically found in the convergence teams (TPPS).
"""

from actors.models import ActorKind as K
from actors.models import GovernmentLevel as G

D = G.DISTRICT


def district_government(place: str) -> list[tuple]:
    return [
        (f"Dinas Kesehatan {place}", "Dinkes", K.GOVERNMENT, "health", D),
        (f"RSUD {place}", "RSUD", K.HEALTH_FACILITY, "health", D),
        (f"Badan Perencanaan Pembangunan Daerah {place}", "Bappeda", K.GOVERNMENT, "planning", D),
        (
            f"Badan Pengelolaan Keuangan dan Aset Daerah {place}",
            "BPKAD",
            K.GOVERNMENT,
            "planning",
            D,
        ),
        (f"Inspektorat {place}", "Inspektorat", K.GOVERNMENT, "planning", D),
        (f"Dinas Pendidikan dan Kebudayaan {place}", "Disdikbud", K.GOVERNMENT, "education", D),
        (f"Dinas Pemberdayaan Masyarakat dan Desa {place}", "DPMD", K.GOVERNMENT, "village", D),
        (f"Dinas Sosial {place}", "Dinsos", K.GOVERNMENT, "social", D),
        (
            f"Dinas Pemberdayaan Perempuan dan Perlindungan Anak {place}",
            "DP3A",
            K.GOVERNMENT,
            "women_child",
            D,
        ),
        (
            f"Dinas Pengendalian Penduduk dan Keluarga Berencana {place}",
            "DP2KB",
            K.GOVERNMENT,
            "family_planning",
            D,
        ),
        (
            f"Dinas Pekerjaan Umum dan Penataan Ruang {place}",
            "Dinas PUPR",
            K.GOVERNMENT,
            "public_works",
            D,
        ),
        (
            f"Dinas Perumahan dan Kawasan Permukiman {place}",
            "Disperkim",
            K.GOVERNMENT,
            "public_works",
            D,
        ),
        (f"Dinas Ketahanan Pangan {place}", "DKP", K.GOVERNMENT, "food_agriculture", D),
        (f"Dinas Pertanian {place}", "Distan", K.GOVERNMENT, "food_agriculture", D),
        (f"Dinas Perikanan {place}", "Diskan", K.GOVERNMENT, "food_agriculture", D),
        (f"Kantor Kementerian Agama {place}", "Kemenag", K.GOVERNMENT, "religious", D),
        (
            f"Dinas Kependudukan dan Pencatatan Sipil {place}",
            "Disdukcapil",
            K.GOVERNMENT,
            "civil_registry",
            D,
        ),
        (
            f"Dinas Komunikasi, Informatika, Statistik dan Persandian {place}",
            "Diskominfo",
            K.GOVERNMENT,
            "communication",
            D,
        ),
        (
            f"Sekretariat Daerah {place} (Bagian Kesra)",
            "Setda Kesra",
            K.GOVERNMENT,
            "general_government",
            D,
        ),
        (f"DPRD {place}", "DPRD", K.LEGISLATURE, "legislature", D),
        (f"Tim Penggerak PKK {place}", "TP PKK", K.COMMUNITY, "community", D),
    ]


PARTNERS = [
    ("Wahana Visi Indonesia", "WVI", K.NGO, "ngo", D),
    ("Yayasan Sayangi Tunas Cilik", "YSTC", K.NGO, "ngo", D),
    ("Perkumpulan Lingkar Belajar Perempuan", "LIBU", K.NGO, "ngo", D),
    ("PT Bank Pembangunan Daerah Sulawesi Tengah (CSR)", "Bank Sulteng", K.PRIVATE, "private", D),
    ("Universitas Tadulako, Fakultas Kesehatan Masyarakat", "FKM Untad", K.ACADEMIC, "academia", D),
    ("UNICEF Kantor Lapangan Sulawesi", "UNICEF", K.DONOR, "development_partner", D),
]

PUSKESMAS = {
    "72.10": ["Biromaru", "Dolo", "Marawola", "Kulawi", "Palolo", "Baluase", "Lindu", "Pipikoro"],
    "72.71": [
        "Talise",
        "Kamonji",
        "Singgani",
        "Birobuli",
        "Mamboro",
        "Bulili",
        "Pantoloan",
        "Sangurara",
    ],
}

EXTRA = {
    "72.10": [
        ("Forum Anak Kabupaten Sigi", "Forum Anak", K.COMMUNITY, "community", D),
        ("Badan Amil Zakat Nasional Kabupaten Sigi", "Baznas", K.COMMUNITY, "religious", D),
    ],
    "72.71": [
        (
            "PT Pertamina Patra Niaga Fuel Terminal Donggala (CSR)",
            "Pertamina",
            K.PRIVATE,
            "private",
            D,
        ),
        ("Politeknik Kesehatan Kemenkes Palu", "Poltekkes", K.ACADEMIC, "academia", D),
    ],
}

# Province-level actors of Sulawesi Tengah, for the province's own matrix.
PROVINCE_ACTORS = [
    ("Dinas Kesehatan Provinsi Sulawesi Tengah", "Dinkes Prov", K.GOVERNMENT, "health", G.PROVINCE),
    ("Bappeda Provinsi Sulawesi Tengah", "Bappeda Prov", K.GOVERNMENT, "planning", G.PROVINCE),
    (
        "Dinas Pendidikan Provinsi Sulawesi Tengah",
        "Disdik Prov",
        K.GOVERNMENT,
        "education",
        G.PROVINCE,
    ),
    (
        "Dinas Pemberdayaan Masyarakat dan Desa Provinsi Sulawesi Tengah",
        "DPMD Prov",
        K.GOVERNMENT,
        "village",
        G.PROVINCE,
    ),
    (
        "Perwakilan BKKBN Provinsi Sulawesi Tengah",
        "BKKBN",
        K.GOVERNMENT,
        "family_planning",
        G.NATIONAL,
    ),
    (
        "Kantor Wilayah Kementerian Agama Provinsi Sulawesi Tengah",
        "Kanwil Kemenag",
        K.GOVERNMENT,
        "religious",
        G.NATIONAL,
    ),
    (
        "Balai Prasarana Permukiman Wilayah Sulawesi Tengah",
        "BPPW",
        K.GOVERNMENT,
        "public_works",
        G.NATIONAL,
    ),
    (
        "Tim Penggerak PKK Provinsi Sulawesi Tengah",
        "TP PKK Prov",
        K.COMMUNITY,
        "community",
        G.PROVINCE,
    ),
]

DEMO_DISTRICTS = {"72.10": "Kabupaten Sigi", "72.71": "Kota Palu"}


def actors_for(code: str) -> list[tuple]:
    place = DEMO_DISTRICTS[code]
    puskesmas = [
        (f"Puskesmas {name}", f"PKM {name}", K.HEALTH_FACILITY, "health", D)
        for name in PUSKESMAS[code]
    ]
    return district_government(place) + puskesmas + PARTNERS + EXTRA[code]
