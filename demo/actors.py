"""The actors of the demo and where they are homed.

A row is (name, short name, kind, sector code, home region code); the government level is
that of the home region (``Actor.clean``): the provincial offices are homed in the province,
the district's offices in the district, each Puskesmas and kecamatan office in its
kecamatan, and the village governments, KPM and Posyandu in their desa or kelurahan.

The government agencies follow the nomenclature of a kabupaten/kota in Sulawesi Tengah;
Puskesmas, NGOs and partners are those typically found in the convergence teams (TPPS).
Each Puskesmas below is named after the desa or kelurahan where it stands.
"""

from typing import NamedTuple

from actors.models import ActorKind as K

PROVINCE_CODE = "72"
DEMO_DISTRICTS = {"72.10": "Kabupaten Sigi", "72.71": "Kota Palu"}


class ActorRow(NamedTuple):
    name: str
    short_name: str
    kind: str
    sector: str
    region: str
    # The first round that has it on its roster: 2026 for actors added to the mapping then.
    joins: int = 2025


def district_government(place: str, code: str) -> list[ActorRow]:
    rows = [
        (f"Dinas Kesehatan {place}", "Dinkes", K.GOVERNMENT, "health"),
        (f"RSUD {place}", "RSUD", K.HEALTH_FACILITY, "health"),
        (f"Badan Perencanaan Pembangunan Daerah {place}", "Bappeda", K.GOVERNMENT, "planning"),
        (
            f"Badan Pengelolaan Keuangan dan Aset Daerah {place}",
            "BPKAD",
            K.GOVERNMENT,
            "planning",
        ),
        (f"Inspektorat {place}", "Inspektorat", K.GOVERNMENT, "planning"),
        (f"Dinas Pendidikan dan Kebudayaan {place}", "Disdikbud", K.GOVERNMENT, "education"),
        (f"Dinas Pemberdayaan Masyarakat dan Desa {place}", "DPMD", K.GOVERNMENT, "village"),
        (f"Dinas Sosial {place}", "Dinsos", K.GOVERNMENT, "social"),
        (
            f"Dinas Pemberdayaan Perempuan dan Perlindungan Anak {place}",
            "DP3A",
            K.GOVERNMENT,
            "women_child",
        ),
        (
            f"Dinas Pengendalian Penduduk dan Keluarga Berencana {place}",
            "DP2KB",
            K.GOVERNMENT,
            "family_planning",
        ),
        (
            f"Dinas Pekerjaan Umum dan Penataan Ruang {place}",
            "Dinas PUPR",
            K.GOVERNMENT,
            "public_works",
        ),
        (
            f"Dinas Perumahan dan Kawasan Permukiman {place}",
            "Disperkim",
            K.GOVERNMENT,
            "public_works",
        ),
        (f"Dinas Ketahanan Pangan {place}", "DKP", K.GOVERNMENT, "food_agriculture"),
        (f"Dinas Pertanian {place}", "Distan", K.GOVERNMENT, "food_agriculture"),
        (f"Dinas Perikanan {place}", "Diskan", K.GOVERNMENT, "food_agriculture"),
        (f"Kantor Kementerian Agama {place}", "Kemenag", K.GOVERNMENT, "religious"),
        (
            f"Dinas Kependudukan dan Pencatatan Sipil {place}",
            "Disdukcapil",
            K.GOVERNMENT,
            "civil_registry",
        ),
        (
            f"Dinas Komunikasi, Informatika, Statistik dan Persandian {place}",
            "Diskominfo",
            K.GOVERNMENT,
            "communication",
        ),
        (
            f"Sekretariat Daerah {place} (Bagian Kesra)",
            "Setda Kesra",
            K.GOVERNMENT,
            "general_government",
        ),
        (f"DPRD {place}", "DPRD", K.LEGISLATURE, "legislature"),
        (f"Tim Penggerak PKK {place}", "TP PKK", K.COMMUNITY, "community"),
    ]
    return [ActorRow(*row, code) for row in rows]


def partners(code: str) -> list[ActorRow]:
    rows = [
        ("Wahana Visi Indonesia", "WVI", K.NGO, "ngo"),
        ("Yayasan Sayangi Tunas Cilik", "YSTC", K.NGO, "ngo"),
        ("Perkumpulan Lingkar Belajar Perempuan", "LIBU", K.NGO, "ngo"),
        ("PT Bank Pembangunan Daerah Sulawesi Tengah (CSR)", "Bank Sulteng", K.PRIVATE, "private"),
        (
            "Universitas Tadulako, Fakultas Kesehatan Masyarakat",
            "FKM Untad",
            K.ACADEMIC,
            "academia",
        ),
        ("UNICEF Kantor Lapangan Sulawesi", "UNICEF", K.DONOR, "development_partner"),
    ]
    return [ActorRow(*row, code) for row in rows]


EXTRA = {
    "72.10": [
        ActorRow("Forum Anak Kabupaten Sigi", "Forum Anak", K.COMMUNITY, "community", "72.10"),
        ActorRow(
            "Badan Amil Zakat Nasional Kabupaten Sigi", "Baznas", K.COMMUNITY, "religious", "72.10"
        ),
    ],
    "72.71": [
        ActorRow(
            "PT Pertamina Patra Niaga Fuel Terminal Donggala (CSR)",
            "Pertamina",
            K.PRIVATE,
            "private",
            "72.71",
        ),
        ActorRow(
            "Politeknik Kesehatan Kemenkes Palu", "Poltekkes", K.ACADEMIC, "academia", "72.71"
        ),
    ],
}

# Puskesmas, each homed in its kecamatan: (name, kecamatan code).
PUSKESMAS = {
    "72.10": [
        ("Biromaru", "72.10.01"),
        ("Palolo", "72.10.02"),
        ("Lindu", "72.10.04"),
        ("Kulawi", "72.10.05"),
        ("Pipikoro", "72.10.07"),
        ("Baluase", "72.10.09"),
        ("Dolo", "72.10.12"),
        ("Marawola", "72.10.14"),
    ],
    "72.71": [
        ("Kamonji", "72.71.02"),
        ("Birobuli", "72.71.03"),
        ("Mamboro", "72.71.04"),
        ("Tipo", "72.71.05"),
        ("Nunu", "72.71.06"),
        ("Pantoloan", "72.71.07"),
        ("Talise", "72.71.08"),
        ("Kawatuna", "72.71.08"),
    ],
}

# The other kecamatan-level actors: the camat's office, the religious affairs office (KUA)
# and the family-planning extension office, where the demo's villages lie.
SUBDISTRICT_OFFICES = {
    "72.10": [
        ActorRow(
            "Kantor Camat Sigi Biromaru",
            "Camat Biromaru",
            K.GOVERNMENT,
            "general_government",
            "72.10.01",
        ),
        ActorRow(
            "Kantor Urusan Agama Kecamatan Sigi Biromaru",
            "KUA Biromaru",
            K.GOVERNMENT,
            "religious",
            "72.10.01",
        ),
        ActorRow(
            "Balai Penyuluhan KB Kecamatan Sigi Biromaru",
            "BPKB Biromaru",
            K.GOVERNMENT,
            "family_planning",
            "72.10.01",
        ),
        ActorRow("Kantor Camat Dolo", "Camat Dolo", K.GOVERNMENT, "general_government", "72.10.12"),
        ActorRow(
            "Kantor Urusan Agama Kecamatan Dolo", "KUA Dolo", K.GOVERNMENT, "religious", "72.10.12"
        ),
        ActorRow(
            "Balai Penyuluhan KB Kecamatan Dolo",
            "BPKB Dolo",
            K.GOVERNMENT,
            "family_planning",
            "72.10.12",
        ),
    ],
    "72.71": [
        ActorRow(
            "Kantor Camat Mantikulore",
            "Camat Mantikulore",
            K.GOVERNMENT,
            "general_government",
            "72.71.08",
        ),
        ActorRow(
            "Kantor Urusan Agama Kecamatan Mantikulore",
            "KUA Mantikulore",
            K.GOVERNMENT,
            "religious",
            "72.71.08",
        ),
        ActorRow(
            "Balai Penyuluhan KB Kecamatan Mantikulore",
            "BPKB Mantikulore",
            K.GOVERNMENT,
            "family_planning",
            "72.71.08",
        ),
        ActorRow(
            "Kantor Camat Tatanga", "Camat Tatanga", K.GOVERNMENT, "general_government", "72.71.06"
        ),
    ],
}

# Village-level actors: village governments, the human-development cadres (KPM), Posyandu.
VILLAGE_ACTORS = {
    "72.10": [
        ActorRow("Pemerintah Desa Bora", "Desa Bora", K.GOVERNMENT, "village", "72.10.01.2003"),
        ActorRow(
            "Kader Pembangunan Manusia Desa Bora",
            "KPM Bora",
            K.COMMUNITY,
            "community",
            "72.10.01.2003",
        ),
        ActorRow("Pemerintah Desa Mpanau", "Desa Mpanau", K.GOVERNMENT, "village", "72.10.01.2013"),
        ActorRow("Posyandu Desa Mpanau", "Posyandu Mpanau", K.COMMUNITY, "health", "72.10.01.2013"),
        # Kotarindau (Dolo) joined the mapping in 2026.
        ActorRow(
            "Pemerintah Desa Kotarindau",
            "Desa Kotarindau",
            K.GOVERNMENT,
            "village",
            "72.10.12.2007",
            joins=2026,
        ),
        ActorRow(
            "Kader Pembangunan Manusia Desa Kotarindau",
            "KPM Kotarindau",
            K.COMMUNITY,
            "community",
            "72.10.12.2007",
            joins=2026,
        ),
    ],
    "72.71": [
        ActorRow(
            "Pemerintah Kelurahan Talise",
            "Kel. Talise",
            K.GOVERNMENT,
            "general_government",
            "72.71.08.1003",
        ),
        ActorRow(
            "Posyandu Kelurahan Talise", "Posyandu Talise", K.COMMUNITY, "health", "72.71.08.1003"
        ),
        ActorRow(
            "Pemerintah Kelurahan Nunu",
            "Kel. Nunu",
            K.GOVERNMENT,
            "general_government",
            "72.71.06.1001",
        ),
        ActorRow(
            "Tim Penggerak PKK Kelurahan Nunu",
            "PKK Nunu",
            K.COMMUNITY,
            "community",
            "72.71.06.1001",
            joins=2026,
        ),
    ],
}

# Province-level actors of Sulawesi Tengah, homed in the province: the provincial offices
# and the provincial representations of national agencies.
PROVINCE_ACTORS = [
    ActorRow(
        "Dinas Kesehatan Provinsi Sulawesi Tengah", "Dinkes Prov", K.GOVERNMENT, "health", "72"
    ),
    ActorRow("Bappeda Provinsi Sulawesi Tengah", "Bappeda Prov", K.GOVERNMENT, "planning", "72"),
    ActorRow(
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak Provinsi Sulawesi Tengah",
        "DP3A Prov",
        K.GOVERNMENT,
        "women_child",
        "72",
    ),
    ActorRow(
        "Dinas Pendidikan Provinsi Sulawesi Tengah", "Disdik Prov", K.GOVERNMENT, "education", "72"
    ),
    ActorRow(
        "Dinas Pemberdayaan Masyarakat dan Desa Provinsi Sulawesi Tengah",
        "DPMD Prov",
        K.GOVERNMENT,
        "village",
        "72",
    ),
    ActorRow(
        "Perwakilan BKKBN Provinsi Sulawesi Tengah",
        "BKKBN",
        K.GOVERNMENT,
        "family_planning",
        "72",
    ),
    ActorRow(
        "Kantor Wilayah Kementerian Agama Provinsi Sulawesi Tengah",
        "Kanwil Kemenag",
        K.GOVERNMENT,
        "religious",
        "72",
    ),
    ActorRow(
        "Balai Prasarana Permukiman Wilayah Sulawesi Tengah",
        "BPPW",
        K.GOVERNMENT,
        "public_works",
        "72",
    ),
    ActorRow(
        "Tim Penggerak PKK Provinsi Sulawesi Tengah", "TP PKK Prov", K.COMMUNITY, "community", "72"
    ),
]

# The provincial offices on the districts' rosters (convergence across levels).
PROVINCIAL_MEMBERS = ("Dinkes Prov", "Bappeda Prov", "DP3A Prov")


def actors_for(code: str) -> list[ActorRow]:
    """The actors homed in district ``code`` and below it."""
    place = DEMO_DISTRICTS[code]
    puskesmas = [
        ActorRow(f"Puskesmas {name}", f"PKM {name}", K.HEALTH_FACILITY, "health", kecamatan)
        for name, kecamatan in PUSKESMAS[code]
    ]
    return (
        district_government(place, code)
        + partners(code)
        + EXTRA[code]
        + puskesmas
        + SUBDISTRICT_OFFICES[code]
        + VILLAGE_ACTORS[code]
    )
