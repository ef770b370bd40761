"""Sectors that take part in stunting reduction (code, Bahasa Indonesia, English, health?)."""

SECTORS = [
    ("health", "Kesehatan", "Health", True),
    ("planning", "Perencanaan dan keuangan daerah", "Planning and regional finance", False),
    ("education", "Pendidikan", "Education", False),
    ("village", "Pemberdayaan masyarakat dan desa", "Village and community empowerment", False),
    ("social", "Sosial", "Social affairs", False),
    (
        "women_child",
        "Pemberdayaan perempuan dan perlindungan anak",
        "Women's empowerment and child protection",
        False,
    ),
    (
        "family_planning",
        "Kependudukan dan keluarga berencana",
        "Population and family planning",
        False,
    ),
    (
        "public_works",
        "Pekerjaan umum, air minum dan sanitasi",
        "Public works, water and sanitation",
        False,
    ),
    ("food_agriculture", "Ketahanan pangan dan pertanian", "Food security and agriculture", False),
    ("religious", "Agama", "Religious affairs", False),
    ("civil_registry", "Kependudukan dan pencatatan sipil", "Civil registration", False),
    ("communication", "Komunikasi dan informatika", "Communication and information", False),
    ("general_government", "Pemerintahan umum", "General government", False),
    ("legislature", "Legislatif", "Legislature", False),
    ("community", "Organisasi kemasyarakatan", "Community organisations", False),
    ("ngo", "Lembaga swadaya masyarakat", "Non-governmental organisations", False),
    ("private", "Swasta (CSR)", "Private sector (CSR)", False),
    ("academia", "Perguruan tinggi", "Academia", False),
    ("development_partner", "Mitra pembangunan", "Development partners", False),
]
